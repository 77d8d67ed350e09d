-- Sets the status of a user who is online (all the user's sessions share it), atomically with the check
-- that the user is online, so a status is never left behind for a user whose last session just ended.
-- KEYS[1] hash user -> number of sessions (the user's online bucket)   KEYS[2] hash user -> status
-- ARGV[1] user   ARGV[2] status ('online' removes the entry: online is the default)
-- Returns 1 when set, 0 when the user has no session.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == 'online' then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return 1
