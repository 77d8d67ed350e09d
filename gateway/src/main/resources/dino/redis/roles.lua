-- Grants or revokes one role of one user in one scope (a channel or a room), atomically, in the scope's hash
-- (its hash tag): field user -> the user's roles there, sorted and separated by single spaces.
-- KEYS[1] the scope's roles hash   ARGV[1] user   ARGV[2] role   ARGV[3] 1 to grant, 0 to revoke
-- Returns 1 when the user's roles changed, 0 when the user had (grant) or lacked (revoke) the role already.
local current = redis.call('HGET', KEYS[1], ARGV[1])
local roles = {}
local held = false
if current then
  for role in string.gmatch(current, '%S+') do
    if role == ARGV[2] then held = true else roles[#roles + 1] = role end
  end
end
if ARGV[3] == '1' then
  if held then return 0 end
  roles[#roles + 1] = ARGV[2]
  table.sort(roles)
  redis.call('HSET', KEYS[1], ARGV[1], table.concat(roles, ' '))
  return 1
end
if not held then return 0 end
if #roles == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], table.concat(roles, ' '))
end
return 1
