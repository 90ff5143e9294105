import { LuaScript } from './lua-script.js';

/**
 * Moves retries that are due back to their streams: ZRANGEBYSCORE, then per
 * retry XADD and ZREM (plus DEL of its entry). Being one script, two servers
 * running it at once cannot move the same retry twice.
 *
 * KEYS: retry schedule (zset).
 * ARGV: now (ms), batch size, retry entry key prefix, then the XADD trim
 * arguments (none, or e.g. MAXLEN ~ 1000).
 * Returns how many retries were moved.
 */
export const moveDueRetriesScript = new LuaScript(
  'move-due-retries',
  `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1],
  'LIMIT', 0, tonumber(ARGV[2]))
local trim = {}
for i = 4, #ARGV do
  trim[#trim + 1] = ARGV[i]
end
local moved = 0
for _, id in ipairs(due) do
  local entryKey = ARGV[3] .. id
  local entry = redis.call('LRANGE', entryKey, 0, -1)
  if #entry >= 3 then
    local stream = entry[1]
    local args = { stream }
    for _, part in ipairs(trim) do
      args[#args + 1] = part
    end
    args[#args + 1] = '*'
    for i = 2, #entry do
      args[#args + 1] = entry[i]
    end
    redis.call('XADD', unpack(args))
    moved = moved + 1
  end
  redis.call('DEL', entryKey)
  redis.call('ZREM', KEYS[1], id)
end
return moved
`,
);
