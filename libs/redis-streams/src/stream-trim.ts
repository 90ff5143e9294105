import type { StreamTrimOptions } from './redis-streams.options.js';

/** Checks trim options early, with a message naming the bad option. */
export function validateTrim(trim: StreamTrimOptions | undefined): void {
  if (!trim) {
    return;
  }
  const value = trim.strategy === 'maxlen' ? trim.maxLength : trim.maxAgeMs;
  const name = trim.strategy === 'maxlen' ? 'maxLength' : 'maxAgeMs';
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`trim.${name} must be an integer >= 1, got ${value}`);
  }
}

/**
 * The XADD trimming arguments (`MAXLEN ~ n` or `MINID ~ <ms>-0`), empty
 * without trimming. MINID is computed now, from Redis-style millisecond ids,
 * so it assumes this machine's clock is close to the Redis server's.
 */
export function trimArguments(
  trim: StreamTrimOptions | undefined,
  now: number = Date.now(),
): string[] {
  if (!trim) {
    return [];
  }
  if (trim.strategy === 'maxlen') {
    return ['MAXLEN', '~', String(trim.maxLength)];
  }
  return ['MINID', '~', `${Math.max(0, now - trim.maxAgeMs)}-0`];
}
