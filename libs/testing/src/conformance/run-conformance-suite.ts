import { describe, it } from 'vitest';
import { uniqueName } from '../postgres/test-database.js';
import { CaseContext } from './case-context.js';
import type { ConformanceCase } from './conformance-case.js';
import { CONFORMANCE_CASES } from './conformance-cases.js';
import { kitLabel, loadTestKitModule } from './load-test-kit.js';
import { CASE_TIMEOUT_MS } from './suite-defaults.js';
import type { TestKitModule } from './transport-test-kit.js';

export interface ConformanceSuiteOptions {
  /**
   * Absolute path or import specifier of a module exporting
   * `createTestKit(namespace)` (see TestKitModule). A path, not the module
   * itself, because the consumer-crash case imports it in a child process.
   */
  readonly kitModule: string;
}

/**
 * Defines `describe('conformance: <transport>')` with one test per case of
 * the delivery contract, run against the kit's real broker. Each case gets
 * a kit of its own with a fresh namespace, sets it up, and tears it down
 * with everything it started, whether it passed or not. Cases that need a
 * feature the kit does not declare are left out.
 */
export function runConformanceSuite(options: ConformanceSuiteOptions): void {
  describe(`conformance: ${kitLabel(options.kitModule)}`, async () => {
    const kitModule = await loadTestKitModule(options.kitModule);
    // Only read here; createTestKit must not connect (see TestKitModule).
    const { features } = await kitModule.createTestKit(uniqueName('probe'));
    for (const testCase of CONFORMANCE_CASES) {
      if (testCase.appliesTo && !testCase.appliesTo(features)) {
        continue;
      }
      // Titles come from the cases, and so do the assertions (in run()).
      /* oxlint-disable vitest/valid-title, vitest/expect-expect */
      it(
        testCase.title,
        () => runCase(kitModule, options.kitModule, testCase),
        testCase.timeoutMs ?? CASE_TIMEOUT_MS,
      );
      /* oxlint-enable vitest/valid-title, vitest/expect-expect */
    }
  });
}

async function runCase(
  kitModule: TestKitModule,
  specifier: string,
  testCase: ConformanceCase,
): Promise<void> {
  const kit = await kitModule.createTestKit(uniqueName('conf'));
  const context = new CaseContext(kit, specifier);
  let failure: { error: unknown } | undefined;
  try {
    await kit.setup();
    await testCase.run(context);
  } catch (error) {
    failure = { error };
  }
  const cleanupFailures = await context.dispose();
  if (failure) {
    if (cleanupFailures.length > 0) {
      // The case's own failure is the one to read; cleanup is secondary.
      console.error(
        `cleanup after "${testCase.title}" failed too:`,
        cleanupFailures,
      );
    }
    throw failure.error;
  }
  if (cleanupFailures.length > 0) {
    throw new AggregateError(
      cleanupFailures,
      `cleanup after "${testCase.title}" failed`,
    );
  }
}
