import { LuaScript } from './lua-script.js';

/**
 * Deletes a consumer from a group when it holds no pending entries, so
 * short-lived consumer names do not pile up. DELCONSUMER would drop pending
 * entries with it, which is why the check happens inside the script.
 *
 * KEYS: stream. ARGV: group, consumer.
 * Returns 1 when the consumer was deleted.
 */
export const releaseConsumerScript = new LuaScript(
  'release-consumer',
  `
local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1],
  '-', '+', 1, ARGV[2])
if not ok or #pending > 0 then
  return 0
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
`,
);
