-- Changes the soft deletions (tombstones) of one room's log. All keys share the room's hash tag.
-- KEYS[1] tombstones hash   KEYS[2] the log's meta hash (epoch, top)   KEYS[3] the log's stream
-- ARGV[1] operation   ARGV[2] lifetime (ms) of the tombstones after this write, 0 for none
-- Fields: 'm:ID' -> 'EPOCH OFFSET SENDER' (one deleted message), 'u:USER' -> 'EPOCH OFFSET' (the user's messages up to
-- there), 'all' -> 'EPOCH OFFSET' (every message up to there).
--   mark   ARGV[3..] field, value, field, value...  marks messages                      returns 1
--   cut    ARGV[3] field ('u:USER' or 'all'), ARGV[4] epoch, ARGV[5] offset: a cutoff that only grows in its epoch; returns 1
--   unmark ARGV[3..] ids: takes their marks away                                           returns the ids that were marked
--   unuser ARGV[3] user: takes the user's cutoff and the marks of the user's messages away returns how many fields went
--   clear  takes every tombstone of the room away                                           returns 1 if there were any
-- A write (mark, cut) first drops what covers nothing the log still holds: another epoch, offsets below its oldest entry.
local op = ARGV[1]

local function prune()
  local epoch = redis.call('HGET', KEYS[2], 'epoch')
  if not epoch then
    redis.call('DEL', KEYS[1])
    return
  end
  local head = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)
  local first = nil
  if #head > 0 then first = tonumber(string.match(head[1][1], '^(%d+)')) end
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    local e, o = string.match(fields[i + 1], '^(%S+) (%d+)')
    if e ~= epoch or first == nil or tonumber(o) < first then
      redis.call('HDEL', KEYS[1], fields[i])
    end
  end
end

local function keep()
  local lifetime = tonumber(ARGV[2])
  if lifetime > 0 then
    redis.call('PEXPIRE', KEYS[1], lifetime)
  else
    redis.call('PERSIST', KEYS[1])
  end
end

if op == 'mark' then
  prune()
  for i = 3, #ARGV, 2 do
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
  keep()
  return 1
elseif op == 'cut' then
  prune()
  local current = redis.call('HGET', KEYS[1], ARGV[3])
  if current then
    local e, o = string.match(current, '^(%S+) (%d+)')
    if e == ARGV[4] and tonumber(o) >= tonumber(ARGV[5]) then
      keep()
      return 1
    end
  end
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4] .. ' ' .. ARGV[5])
  keep()
  return 1
elseif op == 'unmark' then
  local restored = {}
  for i = 3, #ARGV do
    if redis.call('HDEL', KEYS[1], 'm:' .. ARGV[i]) == 1 then
      restored[#restored + 1] = ARGV[i]
    end
  end
  return restored
elseif op == 'unuser' then
  local removed = redis.call('HDEL', KEYS[1], 'u:' .. ARGV[3])
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 'm:' and string.match(fields[i + 1], '^%S+ %d+ (.*)$') == ARGV[3] then
      removed = removed + redis.call('HDEL', KEYS[1], fields[i])
    end
  end
  return removed
elseif op == 'clear' then
  return redis.call('DEL', KEYS[1])
end
return redis.error_reply('unknown operation ' .. tostring(op))
