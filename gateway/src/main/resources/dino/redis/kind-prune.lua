-- Drops entries of a rooms-of-kind index that name no room of that kind (left by a removal interrupted between
-- its steps), each only while its score is still the one the reader saw: a create of the same id in the meantime
-- has re-added it with its own creation time, and that entry must stay.
-- KEYS[1] the index (sorted set: room id scored by its creation time, ms)
-- ARGV id, score, id, score, ...
-- Returns how many entries were dropped.
local dropped = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    dropped = dropped + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return dropped
