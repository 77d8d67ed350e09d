-- Enters a session into a room in one atomic step over the room's keys (one hash tag): presence (is it the
-- user's first session in the room?), the node's interest when its first local session enters, and what the
-- joiner needs back. Presence counts as in presence.lua: repeating an entry changes nothing.
-- KEYS[1] meta hash   KEYS[2] interest set (node ids)   KEYS[3] room sessions   KEYS[4] room users
-- KEYS[5] set of hidden (invisible) members
-- ARGV[1] node id   ARGV[2] 1 to add the node's interest   ARGV[3] session field (node/session)   ARGV[4] user
-- ARGV[5] 1 when the user is invisible: marked hidden in the room
-- ARGV[6] capacity (most users at once, 0 for none)   ARGV[7] 1 to announce the join (0: no membership events)
-- Returns {-1} and changes nothing when the room is full and the user is not in it; otherwise {epoch ('' while the log has none), top, first session (1/0), number of members, members...,
-- number of hidden members, hidden members..., then, for a first session only, the ids of the nodes to
-- announce it to (none without ARGV[7])}
local capacity = tonumber(ARGV[6])
if capacity > 0 and redis.call('HEXISTS', KEYS[4], ARGV[4]) == 0 and redis.call('HLEN', KEYS[4]) >= capacity then
  return {-1}
end
if ARGV[2] == '1' then
  redis.call('SADD', KEYS[2], ARGV[1])
end
local first = 0
if redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[4]) == 1 then
  if redis.call('HINCRBY', KEYS[4], ARGV[4], 1) == 1 then
    first = 1
  end
end
if ARGV[5] == '1' then
  redis.call('SADD', KEYS[5], ARGV[4])
end
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'top')
local members = redis.call('HKEYS', KEYS[4])
local result = {meta[1] or '', meta[2] or '0', first, #members}
for _, member in ipairs(members) do
  result[#result + 1] = member
end
local hidden = redis.call('SMEMBERS', KEYS[5])
result[#result + 1] = #hidden
for _, member in ipairs(hidden) do
  result[#result + 1] = member
end
if first == 1 and ARGV[7] == '1' then
  for _, node in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    result[#result + 1] = node
  end
end
return result
