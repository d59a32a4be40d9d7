/**
 * The shared store's interface: what sessions, rate limits, revocations, the event log's dedupe
 * and the token providers ask of it. Its backends (memory-store.ts, file-store.ts,
 * redis-store.ts) implement it; open.ts picks one from TOKEN_STORE.
 */

/** A string value and its remaining lifetime as the store itself measures it. */
export interface StoreEntry {
  value: string;
  /** Remaining lifetime in ms by the store's clock (Redis PTTL); null when the key never expires. */
  ttlMs: number | null;
}

/**
 * A cached credential as written to the store: JSON with at least `value` and `gen`. `gen` comes
 * from `nextGeneration` before the upstream call, so a larger `gen` means a later fetch.
 */
export interface VersionedRecord {
  readonly value: string;
  readonly gen: number;
  readonly [field: string]: unknown;
}

export type TokenStoreKind = 'memory' | 'file' | 'redis';

/**
 * Whether the store can be used right now, as the store itself knows it (no round trip). While
 * it is not reachable its operations fail at once and every provider coordinates in-process only.
 */
export interface StoreHealth {
  reachable: boolean;
  /**
   * `local`: memory or file, always there. Redis: `connected`; `connecting` (never connected yet,
   * or reconnecting after a loss); `stalled` (connected, but a command went unanswered: commands
   * fail at once for a few seconds); `closed`.
   */
  state: 'local' | 'connected' | 'connecting' | 'stalled' | 'closed';
}

/** The outcome of `spendFromBudget`. */
export interface BudgetSpend {
  spent: boolean;
  /**
   * The budget's debt after the call, in ms of the store's clock: 0 when full, `capacity *
   * refillMs` when empty. Remaining = floor((capacity * refillMs - debtMs) / refillMs).
   */
  debtMs: number;
}

/**
 * The shared (L2) store behind the token providers: Keyv for memory, a JSON file under a
 * cross-process lock for file, Keyv's Redis adapter plus a few Lua scripts for Redis. Every
 * compound operation is atomic: a Lua script in Redis, the file lock across the processes
 * sharing a file, a process-local queue in memory, so the provider runs the same code on all three.
 * Keys are relative; the store puts `namespace:` in front of each.
 */
export interface TokenStore {
  readonly kind: TokenStoreKind;
  readonly namespace: string;
  get(key: string): Promise<StoreEntry | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** `SET key value NX PX ttl`: true when this call created the key (lease taken). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Compare-and-delete: removes the key only while it still holds `value` (lease release). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /**
   * Next generation number from `counterKey`, an integer above what `recordKey` already holds
   * and above `atLeast` (the newest generation the caller has seen): a store that lost its data
   * must not hand out numbers that the fleet already passed, or its next record would be fenced
   * off as older than what every instance holds. Stored generations may be fractional (a fetch
   * made while the store was unreachable, see fencing.ts); the counter stays an integer.
   */
  nextGeneration(counterKey: string, recordKey: string, atLeast?: number): Promise<number>;
  /** Monotonic write: stores `record` unless the stored record's `gen` is >= `record.gen`. */
  putIfNewer(key: string, record: VersionedRecord, ttlMs: number): Promise<boolean>;
  /** Compare-and-invalidate: deletes the record only while its `value` is `value`. */
  deleteRecordIfValue(key: string, value: string): Promise<boolean>;
  /** Adds 1 to each field of the counter set at `key` (created with `ttlMs`); returns the new values. */
  increment(key: string, fields: readonly string[], ttlMs: number): Promise<number[]>;
  counters(key: string): Promise<Record<string, number>>;
  /**
   * A token bucket (GCRA) kept as a key whose remaining TTL is the budget's debt, so that the
   * store's clock alone refills it: spends one unit unless `capacity` are already spent, one
   * coming back every `refillMs`. Read it without spending through `get` (its `ttlMs` is the debt).
   */
  spendFromBudget(key: string, capacity: number, refillMs: number): Promise<BudgetSpend>;
  health(): StoreHealth;
  close(): Promise<void>;
}
