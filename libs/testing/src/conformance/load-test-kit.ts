import { basename, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestKitModule } from './transport-test-kit.js';

/**
 * Imports a kit module by absolute path or import specifier and checks that
 * it exports `createTestKit`. Used by the suite and by child processes.
 */
export async function loadTestKitModule(
  specifier: string,
): Promise<TestKitModule> {
  const target = isAbsolute(specifier)
    ? pathToFileURL(specifier).href
    : specifier;
  const loaded = (await import(target)) as Partial<TestKitModule>;
  if (typeof loaded.createTestKit !== 'function') {
    throw new TypeError(
      `${specifier} does not export createTestKit(namespace)`,
    );
  }
  return loaded as TestKitModule;
}

/** A short label for a kit module: `postgres` for `.../postgres.test-kit.ts`. */
export function kitLabel(specifier: string): string {
  return basename(specifier)
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[.-]test-kit$/, '');
}
