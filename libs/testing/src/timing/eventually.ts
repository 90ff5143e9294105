import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `check` until it returns (or resolves) without throwing and returns
 * its value; after `timeoutMs` it throws the last failure, so a test reads
 * why the condition never held, not merely that time ran out. Use it for
 * conditions only a broker can make true, such as a dead letter appearing.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(
          `still failing after ${timeoutMs} ms: ${describe(error)}`,
          { cause: error },
        );
      }
    }
    await sleep(intervalMs);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
