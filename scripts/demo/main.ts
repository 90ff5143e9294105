/**
 * `npm run demo`: the whole saga on one machine. See README.md beside
 * this file for what it prints, its options and its exit codes.
 */
import { Logger } from '@nestjs/common';
import { CleanupStack } from './cleanup-stack.js';
import { parseDemoOptions } from './demo-options.js';
import { errorText } from './error-text.js';
import { runDemo } from './run-demo.js';
import type { SagaSystem } from './saga-system.js';

/** Exit codes: checks passed, a check or the run failed, interrupted. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;

const options = parseDemoOptions(process.argv);
// The transport clients the demo publishes poison with log through Nest;
// only their problems belong on the terminal, the rest is in the services'.
Logger.overrideLogger(['error', 'warn']);
const cleanup = new CleanupStack();
const interrupt = new AbortController();
let system: SagaSystem | undefined;

async function finish(code: number): Promise<never> {
  const report =
    code === EXIT_INTERRUPTED
      ? (step: string) => process.stderr.write(`  ${step} ...\n`)
      : undefined;
  const failures = await cleanup.run(report);
  for (const failure of failures) {
    process.stderr.write(`cleanup failed: ${failure}\n`);
  }
  process.exit(failures.length > 0 && code === EXIT_OK ? EXIT_FAILED : code);
}

/**
 * One Ctrl-C reaches this process several times: from the terminal, and
 * relayed by npm and by tsx. Repeats this close together count as one.
 */
const REPEAT_WINDOW_MS = 1500;
let firstInterruptAt: number | undefined;

const onInterrupt = (signal: NodeJS.Signals) => {
  const now = Date.now();
  if (
    firstInterruptAt !== undefined &&
    now - firstInterruptAt < REPEAT_WINDOW_MS
  ) {
    return;
  }
  if (firstInterruptAt !== undefined) {
    process.stderr.write(`\n${signal} again: killing everything\n`);
    void (system?.killAll() ?? Promise.resolve()).then(() =>
      process.exit(EXIT_INTERRUPTED),
    );
    return;
  }
  firstInterruptAt = now;
  // Stops the progress bars first, so they do not draw over these lines.
  interrupt.abort(new Error(`interrupted by ${signal}`));
  process.stderr.write(
    `\n${signal}: cleaning up (${signal} again kills everything)\n`,
  );
  void finish(EXIT_INTERRUPTED);
};
process.on('SIGINT', onInterrupt);
process.on('SIGTERM', onInterrupt);

try {
  const report = await runDemo(options, {
    cleanup,
    signal: interrupt.signal,
    onSystem: (created) => {
      system = created;
    },
  });
  await finish(report.ok ? EXIT_OK : EXIT_FAILED);
} catch (error) {
  if (interrupt.signal.aborted) {
    // finish() is already under way; what failed is a consequence.
    await finish(EXIT_INTERRUPTED);
  }
  process.stderr.write(`\nDemo failed: ${errorText(error)}\n`);
  await finish(EXIT_FAILED);
}
