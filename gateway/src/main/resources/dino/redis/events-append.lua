-- Appends a batch of domain events to the events stream (docs/events.md), one XADD each, in order.
-- KEYS[1]: the stream. ARGV[1]: MAXLEN (approximate trimming). Then per event: type, room, event (JSON).
-- Returns how many were appended. One key: one slot on Redis Cluster.
local key = KEYS[1]
local maxlen = ARGV[1]
local n = 0
for i = 2, #ARGV, 3 do
  redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', 'type', ARGV[i], 'room', ARGV[i + 1], 'event', ARGV[i + 2])
  n = n + 1
end
return n
