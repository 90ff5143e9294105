import { LuaScript } from './lua-script.js';

/**
 * Writes a dead letter and acknowledges the original in one atomic step, and
 * records the dead-letter stream in the index the store lists from.
 *
 * KEYS: dead-letter stream, dead-letter index (set), source stream.
 * ARGV: group, entry id, fields...
 * Returns the dead letter's entry id.
 */
export const deadLetterScript = new LuaScript(
  'dead-letter',
  `
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('SADD', KEYS[2], KEYS[1])
redis.call('XACK', KEYS[3], ARGV[1], ARGV[2])
return id
`,
);
