-- Appends several publications to ONE log, in the order given, and says where each went and which nodes
-- must deliver them. PublishBatcher sends one call per log per batch of concurrent publishes.
-- KEYS[1] meta hash (epoch, top)   KEYS[2] log stream   KEYS[3] interest set (node ids)
-- KEYS[3 + i] idempotency key of publication i, or KEYS[1] again when it has none
-- ARGV[1] epoch for a log that has none   ARGV[2] max entries kept   ARGV[3] idempotency window ms
-- ARGV[4] oldest timestamp (ms) kept, 0 for no age limit   ARGV[5] idle lifetime (ms) of meta and log, 0 for none
-- ARGV[4 + 2i] encoded publication i   ARGV[5 + 2i] its timestamp
-- Returns {{node ids...}, answer 1, answer 2, ...}, one answer per publication:
--   {1, epoch, offset}               stored (the caller has the publication: nothing is echoed)
--   {0, epoch, offset, publication}  an idempotency key used within the window: the first answer, stored nothing
--   {-1, error}                      this publication failed; the others stand
-- The node ids are read only when something was stored (an empty table otherwise).
-- All keys share one hash tag, so this is atomic on Redis Cluster too: offsets are contiguous and in one total order.
local count = #KEYS - 3
local window = tonumber(ARGV[3])
local answers = {}
local epoch = nil
local stored = 0
for i = 1, count do
  local key = KEYS[3 + i]
  local publication = ARGV[4 + 2 * i]
  local answer = nil
  if key ~= KEYS[1] and window > 0 then
    -- the first answer, whole: the log may have expired or started a new epoch since
    local earlier = redis.pcall('GET', key)
    if type(earlier) == 'table' and earlier.err then
      answer = {-1, earlier.err}
    elseif earlier then
      local e, offset, first = string.match(earlier, '^([^:]+):(%d+):(.*)$')
      if not e then
        -- offset:publication, written before epochs were stored (such keys are gone one window after an upgrade)
        offset, first = string.match(earlier, '^(%d+):(.*)$')
        e = redis.call('HGET', KEYS[1], 'epoch') or ''
      end
      answer = {0, e, tonumber(offset), first}
    end
  end
  if not answer then
    if not epoch then
      epoch = redis.call('HGET', KEYS[1], 'epoch')
      if not epoch then
        -- no metadata: the log is new or was lost; whatever stream is left cannot be trusted
        redis.call('DEL', KEYS[2])
        epoch = ARGV[1]
        redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
      end
    end
    local offset = redis.call('HINCRBY', KEYS[1], 'top', 1)
    local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], offset .. '-0', 't', ARGV[5 + 2 * i], 'p', publication)
    if type(added) == 'table' and added.err then
      redis.call('HINCRBY', KEYS[1], 'top', -1)  -- nothing was stored at this offset: the next one takes it
      answer = {-1, added.err}
    else
      stored = stored + 1
      if key ~= KEYS[1] and window > 0 then
        redis.call('SET', key, epoch .. ':' .. offset .. ':' .. publication, 'PX', window)
      end
      answer = {1, epoch, offset}
    end
  end
  answers[i] = answer
end
local nodes = {}
if stored > 0 then
  local oldest = tonumber(ARGV[4])
  if oldest > 0 then
    -- age retention: drop expired entries from the head, up to 16 per publication stored
    for _ = 1, 16 * stored do
      local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
      if #head == 0 or tonumber(head[1][2][2]) >= oldest then break end
      redis.call('XDEL', KEYS[2], head[1][1])
    end
  end
  -- a log that receives nothing goes as a whole once its newest entry is past max-age (plus a margin);
  -- each publish restarts the countdown, so a log with an entry within retention is never dropped
  local lifetime = tonumber(ARGV[5])
  if lifetime > 0 then
    redis.call('PEXPIRE', KEYS[1], lifetime)
    redis.call('PEXPIRE', KEYS[2], lifetime)
  else
    -- no max-age (or no longer one): a countdown set under an earlier configuration must not drop the log
    redis.call('PERSIST', KEYS[1])
    redis.call('PERSIST', KEYS[2])
  end
  nodes = redis.call('SMEMBERS', KEYS[3])
end
local result = {nodes}
for i = 1, count do
  result[i + 1] = answers[i]
end
return result
