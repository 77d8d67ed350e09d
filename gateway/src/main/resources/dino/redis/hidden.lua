-- Marks a room member as hidden (an invisible user) or not, atomically with the check that the user is in the
-- room, so a mark is never left behind for a user whose last session in the room just left.
-- KEYS[1] room users (hash user -> number of sessions)   KEYS[2] set of hidden members
-- ARGV[1] user   ARGV[2] 1 to hide, 0 to show
-- Returns 1 when the mark changed, 0 otherwise.
if ARGV[2] == '1' then
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
  return redis.call('SADD', KEYS[2], ARGV[1])
end
return redis.call('SREM', KEYS[2], ARGV[1])
