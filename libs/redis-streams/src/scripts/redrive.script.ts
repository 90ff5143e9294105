import { LuaScript } from './lua-script.js';

/**
 * Sends a dead letter back to its stream and deletes it from the dead
 * letters, atomically; does nothing (returns 0) when the dead letter is
 * gone, so two concurrent redrives cannot both re-add it.
 *
 * KEYS: dead-letter stream, target stream.
 * ARGV: dead-letter entry id, fields of the new entry...
 */
export const redriveScript = new LuaScript(
  'redrive',
  `
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then
  return 0
end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
`,
);
