-- Gives a room name in a channel up (undoing a claim, or removing a room), in the channel's hash tag.
-- KEYS[1] names hash   KEYS[2] claims hash   KEYS[3] rooms set
-- ARGV[1] name key   ARGV[2] room id   ARGV[3] '1' to drop the id from the rooms set as well
-- The name is released only while this id holds it: another room may have taken it over since.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
if ARGV[3] == '1' then
  redis.call('SREM', KEYS[3], ARGV[2])
end
return 1
