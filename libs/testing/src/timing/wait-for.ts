import { eventually } from './eventually.js';

/**
 * Polls `check` until it returns a truthy value, and returns that value;
 * fails naming `what` when none came within `timeoutMs`. The value form of
 * `eventually`, for checks that read something (a row, a count) rather
 * than assert.
 */
export function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  return eventually(
    async () => {
      const value = await check();
      if (!value) {
        throw new Error(`waiting for ${what}`);
      }
      return value;
    },
    timeoutMs,
    20,
  );
}
