-- Stores a revocation in the user's revocations hash, atomically with forgetting the expired ones and setting
-- the hash's expiry to the latest `until` it holds (so the hash goes when its last revocation does).
-- KEYS[1] the user's revocations hash: field 'u' (by user) -> 'BEFORE_MS UNTIL_MS'; field 't:ID' (by id) -> 'UNTIL_MS'
-- ARGV[1] field   ARGV[2] issued-before ms (by user; ignored by id)   ARGV[3] until ms   ARGV[4] now ms
-- A second revocation of the same field keeps the later issued-before and the later until. Returns 1.
local now = tonumber(ARGV[4])
local latest = 0
local stored = redis.call('HGETALL', KEYS[1])
for i = 1, #stored, 2 do
  local untilMs = tonumber(string.match(stored[i + 1], '(%d+)$'))
  if untilMs <= now then
    redis.call('HDEL', KEYS[1], stored[i])
  elseif stored[i] ~= ARGV[1] and untilMs > latest then
    latest = untilMs
  end
end
local before = tonumber(ARGV[2])
local untilMs = tonumber(ARGV[3])
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local oldBefore, oldUntil = string.match(old, '^(%d+) (%d+)$')
  if oldBefore then
    before = math.max(before, tonumber(oldBefore))
    untilMs = math.max(untilMs, tonumber(oldUntil))
  else
    untilMs = math.max(untilMs, tonumber(old))
  end
end
if ARGV[1] == 'u' then
  redis.call('HSET', KEYS[1], ARGV[1], string.format('%d %d', before, untilMs))
else
  redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', untilMs))
end
redis.call('PEXPIREAT', KEYS[1], math.max(latest, untilMs))
return 1
