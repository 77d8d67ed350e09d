-- Removes a channel that has no rooms, in the channel's hash tag, atomically with the check (createRoom
-- adds to the rooms set in this slot too, so no room can slip in between).
-- KEYS[1] meta hash   KEYS[2] rooms set   KEYS[3] names hash   KEYS[4] claims hash
-- Returns 1 removed, 0 it still has rooms, -1 no such channel.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if redis.call('SCARD', KEYS[2]) > 0 then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
return 1
