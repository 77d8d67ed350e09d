-- Raises one user's receipt marker in one log, atomically, in the log's receipts hash (its hash tag):
-- field user -> "epoch delivered read" (offsets of that epoch of the log; delivered >= read).
-- KEYS[1] the log's receipts hash
-- ARGV[1] user   ARGV[2] epoch   ARGV[3] offset   ARGV[4] 1 for read (raises delivered too), 0 for delivered
-- ARGV[5] lifetime of the hash in ms after this mark (0: kept)
-- Returns {before, after}, each "epoch delivered read" ("" before: no marker).
-- A marker of another epoch is replaced: positions of an earlier incarnation of the log mean nothing now.
local before = redis.call('HGET', KEYS[1], ARGV[1]) or ''
local delivered, read = 0, 0
if before ~= '' then
  local epoch, d, r = string.match(before, '^(%S*) (%d+) (%d+)$')
  if epoch == ARGV[2] then
    delivered, read = tonumber(d), tonumber(r)
  end
end
local offset = tonumber(ARGV[3])
if ARGV[4] == '1' and offset > read then read = offset end
if offset > delivered then delivered = offset end
if read > delivered then delivered = read end
local after = ARGV[2] .. ' ' .. string.format('%d', delivered) .. ' ' .. string.format('%d', read)
redis.call('HSET', KEYS[1], ARGV[1], after)
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {before, after}
