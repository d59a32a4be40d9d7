import type { Clock } from '../shared/clock.js';
import { parseJsonObject } from '../shared/json.js';
import type { StoreEntry, TokenStore, TokenStoreKind, VersionedRecord } from './store.js';

/**
 * What the memory and file stores keep per key: the value and its deadline by the injected
 * clock (null: never expires). Expired cells are ignored on read and dropped lazily.
 */
export interface Cell {
  v: string;
  exp: number | null;
}

export function isCell(value: unknown): value is Cell {
  return (
    typeof value === 'object' &&
    value !== null &&
    'v' in value &&
    typeof value.v === 'string' &&
    'exp' in value &&
    (value.exp === null || typeof value.exp === 'number')
  );
}

/** Raw access to the cells of one transaction; keys are full (namespaced) keys. */
export interface CellAccess {
  get(key: string): Promise<Cell | undefined>;
  put(key: string, cell: Cell): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Runs `task` as one atomic step. `read` tasks never call `put` or `remove`: a backend may
 * serve them from a snapshot without taking its lock.
 */
export type CellRunner = <T>(
  mode: 'read' | 'write',
  task: (cells: CellAccess) => Promise<T>,
) => Promise<T>;

function recordField(json: string, field: 'gen' | 'value'): unknown {
  return parseJsonObject(json)?.[field];
}

/** A damaged counter set starts again from zero rather than failing every token call. */
function parseCounters(json: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [field, count] of Object.entries(parseJsonObject(json) ?? {})) {
    if (typeof count === 'number') result[field] = count;
  }
  return result;
}

export interface CellStoreOptions {
  kind: TokenStoreKind;
  namespace: string;
  clock: Clock;
  run: CellRunner;
  close(): Promise<void>;
}

/** Reading and writing one cell by its short key, by the store's clock. */
interface CellPrimitives {
  read(cells: CellAccess, key: string): Promise<Cell | undefined>;
  write(cells: CellAccess, key: string, value: string, ttlMs: number | null): Promise<void>;
  /** Removes a live cell; false when there was none (like Redis DEL on a missing key). */
  remove(cells: CellAccess, key: string): Promise<boolean>;
  toEntry(cell: Cell): StoreEntry;
}

function cellPrimitives(clock: Clock, namespace: string): CellPrimitives {
  const full = (key: string): string => `${namespace}:${key}`;
  const read = async (cells: CellAccess, key: string): Promise<Cell | undefined> => {
    const cell = await cells.get(full(key));
    if (cell === undefined || (cell.exp !== null && cell.exp <= clock.now())) return undefined;
    return cell;
  };
  return {
    read,
    async write(cells, key, value, ttlMs) {
      if (ttlMs !== null && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
        throw new RangeError(`store TTL must be a positive number of ms, got ${ttlMs}`);
      }
      await cells.put(full(key), { v: value, exp: ttlMs === null ? null : clock.now() + ttlMs });
    },
    async remove(cells, key) {
      const live = await read(cells, key);
      await cells.remove(full(key));
      return live !== undefined;
    },
    toEntry: (cell) => ({
      value: cell.v,
      ttlMs: cell.exp === null ? null : Math.max(0, cell.exp - clock.now()),
    }),
  };
}

type StoreOperations = Omit<TokenStore, 'kind' | 'namespace' | 'health' | 'close'>;
type KeyValueOperations = Pick<
  StoreOperations,
  'get' | 'set' | 'delete' | 'setIfAbsent' | 'deleteIfEquals'
>;

/** GET, SET, DEL, SET NX and compare-and-delete, each one `run` step. */
function keyValueOperations(run: CellRunner, cell: CellPrimitives): KeyValueOperations {
  const { read, write, remove } = cell;
  return {
    get: (key) =>
      run('read', async (cells) => {
        const found = await read(cells, key);
        return found === undefined ? undefined : cell.toEntry(found);
      }),
    set: (key, value, ttlMs) => run('write', (cells) => write(cells, key, value, ttlMs ?? null)),
    delete: (key) => run('write', (cells) => remove(cells, key)),
    setIfAbsent: (key, value, ttlMs) =>
      run('write', async (cells) => {
        if ((await read(cells, key)) !== undefined) return false;
        await write(cells, key, value, ttlMs);
        return true;
      }),
    deleteIfEquals: (key, value) =>
      run('write', async (cells) => {
        if ((await read(cells, key))?.v !== value) return false;
        return remove(cells, key);
      }),
  };
}

/** Generations and versioned records (the token's fencing), as the Redis scripts do them. */
function recordOperations(
  run: CellRunner,
  { read, write, remove }: CellPrimitives,
): Pick<StoreOperations, 'nextGeneration' | 'putIfNewer' | 'deleteRecordIfValue'> {
  return {
    nextGeneration: (counterKey, recordKey, atLeast = 0) =>
      run('write', async (cells) => {
        const counter = await read(cells, counterKey);
        const record = await read(cells, recordKey);
        const fromCounter = counter === undefined ? 0 : Number(counter.v) || 0;
        const stored = record === undefined ? 0 : Number(recordField(record.v, 'gen')) || 0;
        // Integers only, above a fractional (provisional) stored generation too: see fencing.ts.
        const next = Math.max(fromCounter + 1, Math.floor(Math.max(stored, atLeast)) + 1);
        await write(cells, counterKey, String(next), null);
        return next;
      }),
    putIfNewer: (key, record: VersionedRecord, ttlMs) =>
      run('write', async (cells) => {
        const current = await read(cells, key);
        if (current !== undefined) {
          const storedGen = Number(recordField(current.v, 'gen'));
          if (Number.isFinite(storedGen) && storedGen >= record.gen) return false;
        }
        await write(cells, key, JSON.stringify(record), ttlMs);
        return true;
      }),
    deleteRecordIfValue: (key, value) =>
      run('write', async (cells) => {
        const current = await read(cells, key);
        if (current === undefined || recordField(current.v, 'value') !== value) return false;
        return remove(cells, key);
      }),
  };
}

/** Counter sets (the quota ledger) and the refresh budget (GCRA), by the store's clock. */
function counterOperations(
  run: CellRunner,
  { read, write }: CellPrimitives,
  clock: Clock,
): Pick<StoreOperations, 'increment' | 'counters' | 'spendFromBudget'> {
  return {
    increment: (key, fields, ttlMs) =>
      run('write', async (cells) => {
        const current = await read(cells, key);
        const counts = current === undefined ? {} : parseCounters(current.v);
        const result = fields.map((field) => {
          const next = (counts[field] ?? 0) + 1;
          counts[field] = next;
          return next;
        });
        // Like HINCRBY + PEXPIRE NX: the set keeps the deadline it was created with.
        const remaining = current?.exp == null ? ttlMs : Math.max(1, current.exp - clock.now());
        await write(cells, key, JSON.stringify(counts), remaining);
        return result;
      }),
    counters: (key) =>
      run('read', async (cells) => {
        const current = await read(cells, key);
        return current === undefined ? {} : parseCounters(current.v);
      }),
    spendFromBudget: (key, capacity, refillMs) =>
      run('write', async (cells) => {
        // Like the Lua script: the cell's remaining life is the debt, counted by the store's clock.
        const cell = await read(cells, key);
        const debt = cell?.exp == null ? 0 : Math.max(0, cell.exp - clock.now());
        if (debt + refillMs > capacity * refillMs) return { spent: false, debtMs: debt };
        await write(cells, key, '1', debt + refillMs);
        return { spent: true, debtMs: debt + refillMs };
      }),
  };
}

/**
 * The TokenStore contract written once over cells, for the stores that are not Redis: each
 * operation is one `run` step, so the compound ones (lease, monotonic write, counters) are as
 * atomic as the backend's runner makes them (a process-local queue for memory, a queue plus a
 * cross-process file lock for the file).
 */
export function createCellTokenStore(options: CellStoreOptions): TokenStore {
  const { clock, namespace, run } = options;
  const cell = cellPrimitives(clock, namespace);
  return {
    kind: options.kind,
    namespace,
    ...keyValueOperations(run, cell),
    ...recordOperations(run, cell),
    ...counterOperations(run, cell, clock),
    health: () => ({ reachable: true, state: 'local' }),
    close: options.close,
  };
}

/** Runs tasks one after another, in call order, whatever each one's outcome. */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
