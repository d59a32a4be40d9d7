/**
 * Lua run by Redis (EVAL) so that each compound operation of the token store is atomic across
 * every gateway instance. Records are the JSON of VersionedRecord (`value`, `gen`, …).
 */

/** KEYS[1] → nil, or { value, PTTL } read at one instant. */
export const GET_WITH_TTL = `
local v = redis.call('GET', KEYS[1])
if not v then return nil end
return { v, redis.call('PTTL', KEYS[1]) }
`;

/** Release a lease only if we still own it: KEYS[1], ARGV[1] = owner. */
export const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS[1] = counter, KEYS[2] = record. Never hands out a generation the record already passed. */
export const NEXT_GENERATION = `
local n = redis.call('INCR', KEYS[1])
local cur = redis.call('GET', KEYS[2])
if cur then
  local ok, rec = pcall(cjson.decode, cur)
  if ok and type(rec) == 'table' then
    local g = tonumber(rec.gen)
    if g and g >= n then
      n = g + 1
      redis.call('SET', KEYS[1], string.format('%d', n))
    end
  end
end
return n
`;

/** Monotonic write: KEYS[1], ARGV[1] = record JSON, ARGV[2] = its gen, ARGV[3] = PX ms. */
export const PUT_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local ok, rec = pcall(cjson.decode, cur)
  if ok and type(rec) == 'table' then
    local g = tonumber(rec.gen)
    if g and g >= tonumber(ARGV[2]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`;

/** Compare-and-invalidate: KEYS[1], ARGV[1] = the token that WeChat rejected. */
export const DELETE_RECORD_IF_VALUE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local ok, rec = pcall(cjson.decode, cur)
if ok and type(rec) == 'table' and rec.value == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS[1] = hash, ARGV[1] = PX ms for a new hash, ARGV[2..] = fields to add 1 to. */
export const INCREMENT_FIELDS = `
local out = {}
for i = 2, #ARGV do out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return out
`;
