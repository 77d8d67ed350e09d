-- Replaces a room's access rules as a whole (one hash, in the room's hash tag), atomically.
-- KEYS[1] the room's acl hash; ARGV: action, rule, action, rule... (none: the room has no rules)
redis.call('DEL', KEYS[1])
if #ARGV > 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV))
end
return 1
