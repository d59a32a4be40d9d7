import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Keyv } from 'keyv';
import { KeyvFile } from 'keyv-file';
import { systemClock, type Clock } from '../clock.js';
import { parseJsonObject } from './json.js';
import type { StoreEntry, TokenStore, TokenStoreKind, VersionedRecord } from './store.js';

/** What a memory or file store keeps per key: the value and its deadline by the injected clock. */
interface Cell {
  v: string;
  exp: number | null;
}

// Keyv's own TTL runs on Date.now(); the deadline that counts is `exp`, on the injected clock.
// Keyv only gets a generous TTL so that entries nobody reads again (old ledger days) are
// eventually dropped from memory and from the file.
const GC_SLACK_MS = 24 * 60 * 60 * 1000;

/** Runs tasks one after another: the local stand-in for Redis' atomic scripts. */
function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function isCell(value: unknown): value is Cell {
  return (
    typeof value === 'object' &&
    value !== null &&
    'v' in value &&
    typeof value.v === 'string' &&
    'exp' in value &&
    (value.exp === null || typeof value.exp === 'number')
  );
}

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

interface LocalStoreOptions {
  kind: TokenStoreKind;
  namespace: string;
  clock: Clock;
}

/**
 * A TokenStore on a Keyv instance that only this process uses. All operations go through one
 * queue, which makes the compound ones (lease, monotonic write, counters) atomic.
 */
export function createKeyvTokenStore(keyv: Keyv, options: LocalStoreOptions): TokenStore {
  const { clock, namespace } = options;
  const serial = createSerialQueue();
  const full = (key: string): string => `${namespace}:${key}`;

  async function read(key: string): Promise<Cell | undefined> {
    const raw: unknown = await keyv.get(full(key));
    if (!isCell(raw)) return undefined;
    if (raw.exp !== null && raw.exp <= clock.now()) {
      await keyv.delete(full(key));
      return undefined;
    }
    return raw;
  }

  async function write(key: string, value: string, ttlMs: number | null): Promise<void> {
    if (ttlMs !== null && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
      throw new RangeError(`store TTL must be a positive number of ms, got ${ttlMs}`);
    }
    const cell: Cell = { v: value, exp: ttlMs === null ? null : clock.now() + ttlMs };
    await keyv.set(full(key), cell, ttlMs === null ? undefined : ttlMs + GC_SLACK_MS);
  }

  const toEntry = (cell: Cell): StoreEntry => ({
    value: cell.v,
    ttlMs: cell.exp === null ? null : Math.max(0, cell.exp - clock.now()),
  });

  return {
    kind: options.kind,
    namespace,
    get: (key) =>
      serial(async () => {
        const cell = await read(key);
        return cell === undefined ? undefined : toEntry(cell);
      }),
    set: (key, value, ttlMs) => serial(() => write(key, value, ttlMs ?? null)),
    delete: (key) => serial(() => keyv.delete(full(key))),
    setIfAbsent: (key, value, ttlMs) =>
      serial(async () => {
        if ((await read(key)) !== undefined) return false;
        await write(key, value, ttlMs);
        return true;
      }),
    deleteIfEquals: (key, value) =>
      serial(async () => {
        const cell = await read(key);
        if (cell?.v !== value) return false;
        return keyv.delete(full(key));
      }),
    nextGeneration: (counterKey, recordKey, atLeast = 0) =>
      serial(async () => {
        const counter = await read(counterKey);
        const record = await read(recordKey);
        const fromCounter = counter === undefined ? 0 : Number(counter.v) || 0;
        const stored = record === undefined ? 0 : Number(recordField(record.v, 'gen')) || 0;
        // Integers only, above a fractional (provisional) stored generation too: see fencing.ts.
        const next = Math.max(fromCounter + 1, Math.floor(Math.max(stored, atLeast)) + 1);
        await write(counterKey, String(next), null);
        return next;
      }),
    putIfNewer: (key, record: VersionedRecord, ttlMs) =>
      serial(async () => {
        const current = await read(key);
        if (current !== undefined) {
          const storedGen = Number(recordField(current.v, 'gen'));
          if (Number.isFinite(storedGen) && storedGen >= record.gen) return false;
        }
        await write(key, JSON.stringify(record), ttlMs);
        return true;
      }),
    deleteRecordIfValue: (key, value) =>
      serial(async () => {
        const current = await read(key);
        if (current === undefined || recordField(current.v, 'value') !== value) return false;
        return keyv.delete(full(key));
      }),
    increment: (key, fields, ttlMs) =>
      serial(async () => {
        const current = await read(key);
        const counts = current === undefined ? {} : parseCounters(current.v);
        const result = fields.map((field) => {
          const next = (counts[field] ?? 0) + 1;
          counts[field] = next;
          return next;
        });
        // Like HINCRBY + PEXPIRE NX: the set keeps the deadline it was created with.
        const remaining = current?.exp == null ? ttlMs : Math.max(1, current.exp - clock.now());
        await write(key, JSON.stringify(counts), remaining);
        return result;
      }),
    counters: (key) =>
      serial(async () => {
        const current = await read(key);
        return current === undefined ? {} : parseCounters(current.v);
      }),
    spendFromBudget: (key, capacity, refillMs) =>
      serial(async () => {
        // Like the Lua script: the entry's remaining life is the debt, counted by the store's clock.
        const cell = await read(key);
        const debt = cell?.exp == null ? 0 : Math.max(0, cell.exp - clock.now());
        if (debt + refillMs > capacity * refillMs) return { spent: false, debtMs: debt };
        await write(key, '1', debt + refillMs);
        return { spent: true, debtMs: debt + refillMs };
      }),
    health: () => ({ reachable: true, state: 'local' }),
    close: () => serial(() => keyv.disconnect()),
  };
}

/** Process-local store; fine for one instance and for tests, lost on restart. */
export function createMemoryTokenStore(options: { namespace: string; clock?: Clock }): TokenStore {
  const keyv = new Keyv({ useKeyPrefix: false, throwOnErrors: true });
  return createKeyvTokenStore(keyv, {
    kind: 'memory',
    namespace: options.namespace,
    clock: options.clock ?? systemClock,
  });
}

/**
 * keyv-file silently starts empty on a damaged file and prints the parser's message, which quotes
 * the file (tokens) to stderr. Refuse to start instead, without echoing any of its content.
 */
function assertReadable(filename: string): void {
  if (!existsSync(filename)) return;
  try {
    JSON.parse(readFileSync(filename, 'utf8'));
  } catch {
    throw new Error(
      `token store file ${filename} is not valid JSON (interrupted write?); delete it to start with an empty cache`,
    );
  }
}

/**
 * A JSON file through keyv-file: survives restarts (no token call after a redeploy) but is
 * meant for ONE process: keyv-file keeps the data in memory and rewrites the whole file, so two
 * processes on one file would overwrite each other. Use Redis for several instances.
 */
export function createFileTokenStore(
  path: string,
  options: { namespace: string; clock?: Clock },
): TokenStore {
  const filename = resolve(path);
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  assertReadable(filename);
  // The file holds live tokens: create it readable by this user only. keyv-file rewrites it in
  // place later, which keeps the mode. (An existing file keeps whatever mode it was given.)
  if (!existsSync(filename)) {
    writeFileSync(filename, JSON.stringify({ cache: [], lastExpire: 0 }), {
      mode: 0o600,
      flag: 'wx',
    });
  }
  // writeDelay batches writes; every set/delete still resolves only once the file is written.
  const adapter = new KeyvFile({ filename, writeDelay: 5 });
  const keyv = new Keyv({ store: adapter, useKeyPrefix: false, throwOnErrors: true });
  return createKeyvTokenStore(keyv, {
    kind: 'file',
    namespace: options.namespace,
    clock: options.clock ?? systemClock,
  });
}
