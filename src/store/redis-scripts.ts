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

/**
 * KEYS[1] = counter, KEYS[2] = record, ARGV[1] = the caller's newest generation seen. Returns an
 * integer above the record's generation (which may be fractional, see fencing.ts) and above
 * ARGV[1], so that a counter lost with the store's data never restarts below the fleet.
 */
export const NEXT_GENERATION = `
local n = redis.call('INCR', KEYS[1])
local floor = math.floor(tonumber(ARGV[1]) or 0)
local cur = redis.call('GET', KEYS[2])
if cur then
  local ok, rec = pcall(cjson.decode, cur)
  if ok and type(rec) == 'table' then
    local g = tonumber(rec.gen)
    if g and math.floor(g) > floor then floor = math.floor(g) end
  end
end
if floor >= n then
  n = floor + 1
  redis.call('SET', KEYS[1], string.format('%d', n))
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

/**
 * Token bucket as GCRA on a key's TTL: KEYS[1], ARGV[1] = capacity, ARGV[2] = refill ms. The
 * remaining TTL is the debt (one refill per unit spent); Redis counts it down by its own clock,
 * so no host's clock takes part. Returns { spent (0/1), debt after the call }.
 */
export const SPEND_FROM_BUDGET = `
local debt = redis.call('PTTL', KEYS[1])
if debt < 0 then debt = 0 end
local refill = tonumber(ARGV[2])
if debt + refill > tonumber(ARGV[1]) * refill then return { 0, debt } end
debt = debt + refill
redis.call('SET', KEYS[1], '1', 'PX', debt)
return { 1, debt }
`;
