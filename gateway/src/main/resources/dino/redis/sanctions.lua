-- Bans or mutes of one target (a room, a channel, or everywhere), in the target's hash: field user -> a value
-- "until\nat\nby\nreason" (until: ms since the epoch, 0 = never). Expired entries are pruned by every call.
-- KEYS[1] the target's hash   ARGV[1] now (ms)   ARGV[2] 'put', 'remove' or 'list'   ARGV[3] user   ARGV[4] value (put)
-- Returns: put -> 1; remove -> 1 when an active entry was removed, else 0; list -> user, value, user, value, ...
local now = tonumber(ARGV[1])
local function active(value)
  local untilMs = tonumber(string.match(value, '^(%d+)'))
  return untilMs == nil or untilMs == 0 or untilMs > now
end
local mode = ARGV[2]
if mode == 'remove' then
  local value = redis.call('HGET', KEYS[1], ARGV[3])
  if not value then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[3])
  if active(value) then return 1 end
  return 0
end
if mode == 'put' then
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
end
local all = redis.call('HGETALL', KEYS[1])
local kept = {}
for i = 1, #all, 2 do
  if active(all[i + 1]) then
    kept[#kept + 1] = all[i]
    kept[#kept + 1] = all[i + 1]
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
if mode == 'put' then return 1 end
return kept
