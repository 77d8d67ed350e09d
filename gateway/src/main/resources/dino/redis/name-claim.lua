-- Claims a room name in a channel (first step of a create or a rename), in the channel's hash tag.
-- KEYS[1] channel meta hash   KEYS[2] names hash (name key -> room id)   KEYS[3] claims hash (name key -> ms)
-- KEYS[4] the channel's rooms set
-- ARGV[1] name key (lowercased)   ARGV[2] room id   ARGV[3] '1' when the channel must exist (not the default)
-- ARGV[4] name key this room gives up (a rename), '' for none
-- ARGV[5] a holder the caller found stale, to take the name from ('' for none)   ARGV[6] that claim's time
-- ARGV[7] '1' when that stale holder is no room at all (drop it from the rooms set too)
-- Returns {-1} no such channel; {0, holder, claimed ms, now ms} the name is held by another id (unchanged);
-- {1, added} claimed, added = 1 when the id was not in the rooms set before.
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then
  return {-1}
end
local time = redis.call('TIME')
local now = time[1] .. string.format('%03d', math.floor(tonumber(time[2]) / 1000))
local holder = redis.call('HGET', KEYS[2], ARGV[1])
if holder and holder ~= ARGV[2] then
  local claimed = redis.call('HGET', KEYS[3], ARGV[1]) or '0'
  if holder ~= ARGV[5] or claimed ~= ARGV[6] then
    return {0, holder, claimed, now}
  end
  if ARGV[7] == '1' then
    redis.call('SREM', KEYS[4], holder)
  end
end
if ARGV[4] ~= '' and ARGV[4] ~= ARGV[1] and redis.call('HGET', KEYS[2], ARGV[4]) == ARGV[2] then
  redis.call('HDEL', KEYS[2], ARGV[4])
  redis.call('HDEL', KEYS[3], ARGV[4])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], now)
return {1, redis.call('SADD', KEYS[4], ARGV[2])}
