-- Writes a channel's record as a whole (one hash, in the channel's hash tag), atomically.
-- KEYS[1] the channel's meta hash
-- ARGV[1] 'create' (only if absent), 'update' (only if present) or 'upsert'; ARGV[2..] field, value, ...
-- Returns 1 written, 0 not written: it exists (create), -1 not written: it is missing (update).
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[1] == 'create' and exists then
  return 0
end
if ARGV[1] == 'update' and not exists then
  return -1
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
