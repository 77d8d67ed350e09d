-- Registers a node's interest in a log and returns the log's position at that instant, so the node
-- knows exactly which offsets reach it through its inbox from now on.
-- KEYS[1] meta hash   KEYS[2] interest set
-- ARGV[1] node id
-- Returns {epoch, top}, or {'', 0} for a log without publications: only publish.lua creates a log's
-- epoch, so interest in a made-up name leaves nothing behind once the interest goes.
redis.call('SADD', KEYS[2], ARGV[1])
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'top')
return {meta[1] or '', meta[2] or '0'}
