/**
 * One contract, three stores: memory, file (temp dir) and a real Redis (unique namespace per
 * run, purged afterwards). A Redis that is down fails these tests; it is never skipped.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { uniqueNamespace, useRedisNamespaces } from '../tokens/redis.js';

interface StoreFixture {
  name: string;
  persistent: boolean;
  open(namespace: string): Promise<TokenStore>;
  /** Lets `ms` pass for the store's expiry: the injected clock, or real time for Redis. */
  passTime(ms: number): Promise<void>;
}

let clock: ManualClock;
let dir: string;
const redis = useRedisNamespaces();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixtures: StoreFixture[] = [
  {
    name: 'memory',
    persistent: false,
    open: (namespace) => createTokenStore('memory', { namespace, clock }),
    passTime: async (ms) => clock.advance(ms),
  },
  {
    name: 'file',
    persistent: true,
    open: (namespace) =>
      createTokenStore(`file:${join(dir, `${namespace}.json`)}`, { namespace, clock }),
    passTime: async (ms) => clock.advance(ms),
  },
  {
    name: 'redis',
    persistent: true,
    open: (namespace) => redis.open(namespace),
    // Redis expires keys by its own clock: the only store where a short real wait is needed.
    passTime: (ms) => delay(ms + 5),
  },
];

describe.each(fixtures)('$name token store', (fixture) => {
  let store: TokenStore;
  /** This test's store, once it opened (a store that could not open has nothing to close). */
  let opened: TokenStore | undefined;
  let namespace: string;

  beforeEach(async () => {
    clock = createManualClock();
    namespace = uniqueNamespace(fixture.name);
    store = await fixture.open(namespace);
    opened = store;
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('reports its kind and namespace', () => {
    expect(store.kind).toBe(fixture.name);
    expect(store.namespace).toBe(namespace);
  });

  it('get / set / delete, with the remaining TTL as the store measures it', async () => {
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'v1', 60_000);
    const entry = await store.get('k');
    expect(entry?.value).toBe('v1');
    expect(entry?.ttlMs).toBeGreaterThan(59_000);
    expect(entry?.ttlMs).toBeLessThanOrEqual(60_000);
    await store.set('forever', 'v2');
    expect(await store.get('forever')).toEqual({ value: 'v2', ttlMs: null });
    expect(await store.delete('k')).toBe(true);
    expect(await store.delete('k')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });

  it('entries vanish when their TTL has passed', async () => {
    await store.set('short', 'x', 40);
    await fixture.passTime(40);
    expect(await store.get('short')).toBeUndefined();
  });

  it('setIfAbsent is a lease: one winner, released only by its owner, expiring on its own', async () => {
    const winners = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.setIfAbsent('lease', `owner-${i}`, 60_000)),
    );
    expect(winners.filter(Boolean)).toHaveLength(1);
    const owner = `owner-${winners.indexOf(true)}`;
    expect(await store.deleteIfEquals('lease', 'someone-else')).toBe(false);
    expect((await store.get('lease'))?.value).toBe(owner);
    expect(await store.deleteIfEquals('lease', owner)).toBe(true);
    expect(await store.get('lease')).toBeUndefined();

    expect(await store.setIfAbsent('lease', 'a', 40)).toBe(true);
    expect(await store.setIfAbsent('lease', 'b', 40)).toBe(false);
    await fixture.passTime(40);
    expect(await store.setIfAbsent('lease', 'b', 40)).toBe(true);
  });

  it('generations only grow, and never fall behind the stored record', async () => {
    expect(await store.nextGeneration('gen', 'rec')).toBe(1);
    expect(await store.nextGeneration('gen', 'rec')).toBe(2);
    expect(await store.putIfNewer('rec', { value: 'T', gen: 50 }, 60_000)).toBe(true);
    expect(await store.nextGeneration('gen', 'rec')).toBe(51);
    await store.delete('gen');
    expect(await store.nextGeneration('gen', 'rec')).toBe(51);
    const many = await Promise.all(
      Array.from({ length: 30 }, () => store.nextGeneration('gen', 'rec')),
    );
    expect(new Set(many).size).toBe(30);
    expect(Math.min(...many)).toBe(52);
  });

  it('generations stay integers above a provisional (fractional) record and above the caller’s floor', async () => {
    expect(await store.putIfNewer('rec', { value: 'T', gen: 7.5 }, 60_000)).toBe(true);
    expect(await store.putIfNewer('rec', { value: 'T2', gen: 7.5 }, 60_000)).toBe(false);
    expect(await store.nextGeneration('gen', 'rec')).toBe(8);
    expect(await store.putIfNewer('rec', { value: 'T3', gen: 8 }, 60_000)).toBe(true);
    // A store that lost its counter and record never hands out what the caller already passed.
    await store.delete('gen');
    await store.delete('rec');
    expect(await store.nextGeneration('gen', 'rec', 41.5)).toBe(42);
    expect(await store.nextGeneration('gen', 'rec', 3)).toBe(43);
  });

  it('spendFromBudget: a burst of `capacity`, then one per refill, by the store’s clock', async () => {
    const refill = 150;
    const spend = () => store.spendFromBudget('budget', 3, refill);
    const first = await spend();
    expect(first.spent).toBe(true);
    expect(first.debtMs).toBeGreaterThan(refill - 50);
    expect((await spend()).spent).toBe(true);
    expect((await spend()).spent).toBe(true);
    const refused = await spend();
    expect(refused.spent).toBe(false);
    expect(refused.debtMs).toBeGreaterThan(2 * refill);
    expect(refused.debtMs).toBeLessThanOrEqual(3 * refill);
    // Read without spending: the key's remaining TTL is the debt.
    expect((await store.get('budget'))?.ttlMs).toBeGreaterThan(2 * refill);
    await fixture.passTime(refill);
    expect((await spend()).spent).toBe(true);
    expect((await spend()).spent).toBe(false);
    await fixture.passTime(3 * refill);
    expect(await store.get('budget')).toBeUndefined();
    const spent = await Promise.all(Array.from({ length: 10 }, spend));
    expect(spent.filter((answer) => answer.spent)).toHaveLength(3);
  });

  it('reports itself reachable while it works', () => {
    expect(store.health()).toEqual({
      reachable: true,
      state: fixture.name === 'redis' ? 'connected' : 'local',
    });
  });

  it('putIfNewer is monotonic: an older or equal generation never replaces a newer one', async () => {
    expect(await store.putIfNewer('rec', { value: 'T5', gen: 5, extra: 'x' }, 60_000)).toBe(true);
    expect(await store.putIfNewer('rec', { value: 'T4', gen: 4 }, 60_000)).toBe(false);
    expect(await store.putIfNewer('rec', { value: 'T5b', gen: 5 }, 60_000)).toBe(false);
    const stored = await store.get('rec');
    expect(JSON.parse(stored?.value ?? '{}')).toEqual({ value: 'T5', gen: 5, extra: 'x' });
    expect(await store.putIfNewer('rec', { value: 'T6', gen: 6 }, 30_000)).toBe(true);
    const newer = await store.get('rec');
    expect(JSON.parse(newer?.value ?? '{}')).toEqual({ value: 'T6', gen: 6 });
    expect(newer?.ttlMs).toBeLessThanOrEqual(30_000);
    expect(newer?.ttlMs).toBeGreaterThan(29_000);

    // Concurrent writers in any order: the highest generation is what remains.
    const gens = [17, 9, 30, 12, 28, 7, 21, 25, 11, 19];
    await Promise.all(
      gens.map((gen) => store.putIfNewer('race', { value: `T${gen}`, gen }, 60_000)),
    );
    expect(JSON.parse((await store.get('race'))?.value ?? '{}')).toMatchObject({ gen: 30 });
  });

  it('a damaged record does not block a new write', async () => {
    await store.set('rec', 'not json', 60_000);
    expect(await store.deleteRecordIfValue('rec', 'not json')).toBe(false);
    expect(await store.putIfNewer('rec', { value: 'T', gen: 1 }, 60_000)).toBe(true);
  });

  it('deleteRecordIfValue only invalidates the token that was rejected', async () => {
    await store.putIfNewer('rec', { value: 'T1', gen: 1 }, 60_000);
    expect(await store.deleteRecordIfValue('rec', 'T0')).toBe(false);
    expect(await store.get('rec')).toBeDefined();
    expect(await store.deleteRecordIfValue('rec', 'T1')).toBe(true);
    expect(await store.get('rec')).toBeUndefined();
    expect(await store.deleteRecordIfValue('rec', 'T1')).toBe(false);
  });

  it('increment adds atomically and keeps the TTL the counter set was created with', async () => {
    expect(await store.counters('ledger')).toEqual({});
    expect(await store.increment('ledger', ['a', 'total'], 60_000)).toEqual([1, 1]);
    await Promise.all(Array.from({ length: 99 }, () => store.increment('ledger', ['a'], 60_000)));
    expect(await store.increment('ledger', ['b', 'total'], 60_000)).toEqual([1, 2]);
    expect(await store.counters('ledger')).toEqual({ a: 100, b: 1, total: 2 });

    await store.increment('short-ledger', ['x'], 40);
    await store.increment('short-ledger', ['x'], 60_000);
    await fixture.passTime(40);
    expect(await store.counters('short-ledger')).toEqual({});
  });

  it('keys live under the namespace: another namespace sees nothing', async () => {
    await store.set('k', 'mine', 60_000);
    const other = await fixture.open(uniqueNamespace(`${fixture.name}-other`));
    try {
      expect(await other.get('k')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe.each(fixtures.filter((fixture) => fixture.persistent))('$name token store', (fixture) => {
  it('survives close and reopen', async () => {
    clock = createManualClock();
    const namespace = uniqueNamespace(`${fixture.name}-reopen`);
    const store = await fixture.open(namespace);
    await store.putIfNewer('rec', { value: 'T', gen: 3 }, 60_000);
    await store.increment('ledger', ['a'], 60_000);
    await store.close();
    const reopened = await fixture.open(namespace);
    try {
      expect(JSON.parse((await reopened.get('rec'))?.value ?? '{}')).toEqual({
        value: 'T',
        gen: 3,
      });
      expect(await reopened.counters('ledger')).toEqual({ a: 1 });
    } finally {
      await reopened.close();
    }
  });
});

describe('createTokenStore', () => {
  it('names the accepted forms for an unknown spec, without echoing a password', async () => {
    const error = await createTokenStore('postgres://user:hunter2@db/tokens').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toContain("'memory', 'file:<path>'");
    expect(String(error)).not.toContain('hunter2');
  });

  it('rejects an empty file path and a bad namespace', async () => {
    await expect(createTokenStore('file:')).rejects.toThrow(/needs a path/);
    await expect(createTokenStore('memory', { namespace: 'a b' })).rejects.toThrow(/namespace/);
  });

  it('starts without Redis: operations fail at once and health says so, without the password', async () => {
    const changes: { reachable: boolean; cause: string }[] = [];
    const started = performance.now();
    const store = await createTokenStore('redis://:s3cret-pass@127.0.0.1:1/0', {
      onHealthChange: (health, cause) =>
        changes.push({ reachable: health.reachable, cause: String(cause) }),
    });
    try {
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(store.health()).toEqual({ reachable: false, state: 'connecting' });
      const before = performance.now();
      const error = await store.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(performance.now() - before).toBeLessThan(100);
      // One change reported, not one per reconnect attempt.
      expect(changes).toHaveLength(1);
      expect(changes[0]?.reachable).toBe(false);
      for (const text of [String(error), changes[0]?.cause]) expect(text).not.toContain('s3cret');
    } finally {
      await store.close();
    }
    expect(store.health()).toEqual({ reachable: false, state: 'closed' });
  });

  it('creates the file readable by its owner only, and keeps it so across writes', async () => {
    const path = join(dir, 'private', 'tokens.json');
    const store = await createTokenStore(`file:${path}`);
    await store.set('k', 'live-token-value', 60_000);
    await store.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'private'))).mode & 0o777).toBe(0o700);
    const reopened = await createTokenStore(`file:${path}`);
    expect((await reopened.get('k'))?.value).toBe('live-token-value');
    await reopened.close();
  });
});
