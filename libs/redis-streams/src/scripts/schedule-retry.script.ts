import { LuaScript } from './lua-script.js';

/**
 * Schedules a retry and acknowledges the failed entry, in that order and in
 * one atomic step: the copy is stored (target stream first, then its
 * fields) and indexed by due time before the original leaves the pending
 * list, so a crash can only leave both, never neither.
 *
 * KEYS: retry schedule (zset), retry entry (list), source stream.
 * ARGV: due time (ms), retry id, group, entry id, target stream, fields...
 */
export const scheduleRetryScript = new LuaScript(
  'schedule-retry',
  `
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], ARGV[5], unpack(ARGV, 6))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XACK', KEYS[3], ARGV[3], ARGV[4])
`,
);
