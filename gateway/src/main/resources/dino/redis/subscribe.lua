-- Registers (or removes) a node's interest in a log and returns the log's position at that instant,
-- so the node knows exactly which offsets reach it through its inbox from now on.
-- KEYS[1] meta hash   KEYS[2] interest set   KEYS[3] log stream
-- ARGV[1] node id   ARGV[2] epoch for a log that has none   ARGV[3] 1 to add, 0 to remove, 2 to only read
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  redis.call('DEL', KEYS[3])
  epoch = ARGV[2]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
end
if ARGV[3] == '1' then
  redis.call('SADD', KEYS[2], ARGV[1])
elseif ARGV[3] == '0' then
  redis.call('SREM', KEYS[2], ARGV[1])
end
return {epoch, redis.call('HGET', KEYS[1], 'top')}
