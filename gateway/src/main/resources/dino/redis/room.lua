-- Writes a room's record (one hash, in the room's hash tag), atomically with the check.
-- KEYS[1] the room's record hash
-- ARGV[1] 'create' (the whole record, only if absent), 'update' (the updatable fields, only if present; a topic
-- not given is removed) or 'rename' (the name only, only if present; the topic stays)
-- ARGV[2..] field, value, ...
-- Returns 1 written, 0 not written: it exists (create), -1 not written: it is missing (update).
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[1] == 'create' and exists then
  return 0
end
if ARGV[1] ~= 'create' and not exists then
  return -1
end
if ARGV[1] == 'update' then
  redis.call('HDEL', KEYS[1], 'topic')  -- absent when the room has none; an update that keeps one sends it
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
