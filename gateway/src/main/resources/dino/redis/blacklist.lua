-- Adds or removes blacklist entries, atomically with the version (both keys share the {blacklist} hash tag).
-- KEYS[1] the entries set   KEYS[2] the version counter   ARGV[1] 1 to add, 0 to remove   ARGV[2..] the entries
-- Returns the entries actually added (or removed); the version grows by one when there is any.
local changed = {}
for i = 2, #ARGV do
  local n
  if ARGV[1] == '1' then n = redis.call('SADD', KEYS[1], ARGV[i]) else n = redis.call('SREM', KEYS[1], ARGV[i]) end
  if n == 1 then changed[#changed + 1] = ARGV[i] end
end
if #changed > 0 then redis.call('INCR', KEYS[2]) end
return changed
