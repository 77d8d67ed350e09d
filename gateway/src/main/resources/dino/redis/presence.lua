-- Adds or removes one session of a user in a presence set (a room, or the set of online users) and says
-- whether that changed the user's state: first session in (1) or last session out (1), otherwise 0.
-- KEYS[1] hash session -> user   KEYS[2] hash user -> number of sessions
-- for the online set only: KEYS[3] hash user -> status   KEYS[4] hash user -> last-online time (ms)
-- for a room only: KEYS[3] set of hidden (invisible) members; a removal that was hidden answers 2, not 1
-- ARGV[1] session field ("node/session")   ARGV[2] user   ARGV[3] 1 to add, 0 to remove
-- ARGV[4] (online set only) the time to record as the user's last-online time when the last session goes
if ARGV[3] == '1' then
  if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
  if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then return 1 end
  return 0
end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  if #KEYS == 4 then
    redis.call('HDEL', KEYS[3], ARGV[2])
    redis.call('HSET', KEYS[4], ARGV[2], ARGV[4])
  elseif #KEYS == 3 then
    if redis.call('SREM', KEYS[3], ARGV[2]) == 1 then return 2 end
  end
  return 1
end
return 0
