-- Appends one publication to a log and returns where it went and which nodes must deliver it.
-- KEYS[1] meta hash (epoch, top)   KEYS[2] log stream   KEYS[3] interest set (node ids)
-- KEYS[4] idempotency key (only read when ARGV[3] > 0)
-- ARGV[1] epoch for a log that has none   ARGV[2] max entries kept   ARGV[3] idempotency window ms (0: none)
-- ARGV[4] oldest timestamp (ms) kept, 0 for no age limit   ARGV[5] encoded publication   ARGV[6] its timestamp
-- ARGV[7] idle lifetime (ms) of the log's meta hash and stream, 0 for none
-- Returns {created(1)/repeated(0), epoch, offset, encoded publication, node ids...}
-- All keys share one hash tag, so this is atomic on Redis Cluster too: offsets are contiguous and in one total order.
local window = tonumber(ARGV[3])
if window > 0 then
  -- the first answer, whole: the log may have expired or started a new epoch since
  local earlier = redis.call('GET', KEYS[4])
  if earlier then
    local epoch, offset, publication = string.match(earlier, '^([^:]+):(%d+):(.*)$')
    if not epoch then
      -- offset:publication, written before epochs were stored (such keys are gone one window after an upgrade)
      offset, publication = string.match(earlier, '^(%d+):(.*)$')
      epoch = redis.call('HGET', KEYS[1], 'epoch') or ''
    end
    return {0, epoch, offset, publication}
  end
end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  -- no metadata: the log is new or was lost; whatever stream is left cannot be trusted
  redis.call('DEL', KEYS[2])
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
end
local offset = redis.call('HINCRBY', KEYS[1], 'top', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], offset .. '-0', 't', ARGV[6], 'p', ARGV[5])
local oldest = tonumber(ARGV[4])
if oldest > 0 then
  -- age retention: drop expired entries from the head, a few per publish
  for _ = 1, 16 do
    local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
    if #head == 0 or tonumber(head[1][2][2]) >= oldest then break end
    redis.call('XDEL', KEYS[2], head[1][1])
  end
end
-- a log that receives nothing goes as a whole once its newest entry is past max-age (plus a margin);
-- each publish restarts the countdown, so a log with an entry within retention is never dropped
local lifetime = tonumber(ARGV[7])
if lifetime > 0 then
  redis.call('PEXPIRE', KEYS[1], lifetime)
  redis.call('PEXPIRE', KEYS[2], lifetime)
else
  -- no max-age (or no longer one): a countdown set under an earlier configuration must not drop the log
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[2])
end
if window > 0 then
  redis.call('SET', KEYS[4], epoch .. ':' .. offset .. ':' .. ARGV[5], 'PX', window)
end
local result = {1, epoch, offset, ARGV[5]}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  result[#result + 1] = node
end
return result
