/**
 * Several real processes on one file store: compound operations stay atomic across them, a
 * reader never sees a partial file, and a lock left by a process killed while holding it is
 * taken over. Each test prints its counts.
 */
import { mkdtemp, readFile, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf } from '../../src/store/file-lock.js';
import { createTokenStore } from '../../src/store/open.js';
import { startChild, type ChildRpc } from './child-rpc.js';
import type { FileStoreClientConfig } from './fixtures/file-store-client.js';

const PROCESSES = 4;
const NAMESPACE = 'wgg';

let dir: string;
const children: ChildRpc[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-file-procs-'));
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startClients(path: string, count = PROCESSES): Promise<ChildRpc[]> {
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startChild('file-store-client.ts', {
        path,
        namespace: NAMESPACE,
        name: `process-${i}`,
      } satisfies FileStoreClientConfig),
    ),
  );
  children.push(...started);
  return started;
}

describe(`${PROCESSES} processes on one file store`, () => {
  it('lose no update: counters, leases and generations are atomic across processes', async () => {
    const path = join(dir, 'hammer.json');
    const clients = await startClients(path);
    const INCREMENTS = 150;
    const ROUNDS = 60;
    const GENERATIONS = 40;
    const started = performance.now();
    const [, leaseWins, generations] = await Promise.all([
      Promise.all(
        clients.map((client, i) =>
          client.call('increment', { count: INCREMENTS, fields: ['total', `p${i}`] }),
        ),
      ),
      Promise.all(clients.map((client) => client.call<number[]>('leases', { rounds: ROUNDS }))),
      Promise.all(
        clients.map((client) => client.call<number[]>('generations', { count: GENERATIONS })),
      ),
    ]);
    const elapsed = performance.now() - started;

    const store = await createTokenStore(`file:${path}`, { namespace: NAMESPACE });
    try {
      const counters = await store.counters('ledger');
      expect(counters['total']).toBe(PROCESSES * INCREMENTS);
      for (let i = 0; i < PROCESSES; i += 1) expect(counters[`p${i}`]).toBe(INCREMENTS);

      // Every round has exactly one winner, and the lease holds the winner's name.
      const winners = Array.from({ length: ROUNDS }, () => [] as number[]);
      leaseWins.forEach((rounds, i) => rounds.forEach((round) => winners[round]?.push(i)));
      expect(winners.map((won) => won.length)).toEqual(Array(ROUNDS).fill(1));
      for (let round = 0; round < ROUNDS; round += 1) {
        expect((await store.get(`lease:${round}`))?.value).toBe(`process-${winners[round]?.[0]}`);
      }

      // Generations: all distinct, no gap, increasing within each process.
      const all = generations.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: PROCESSES * GENERATIONS }, (_, i) => i + 1));
      for (const gens of generations) expect([...gens].sort((a, b) => a - b)).toEqual(gens);

      const contested = leaseWins.filter((rounds) => rounds.length > 0).length;
      const operations = PROCESSES * (INCREMENTS + ROUNDS + GENERATIONS);
      console.log(
        `file store, ${PROCESSES} processes: ${operations} locked operations in ` +
          `${Math.round(elapsed)} ms (${(elapsed / operations).toFixed(2)} ms each); ` +
          `ledger total ${counters['total']} of ${PROCESSES * INCREMENTS}; ` +
          `${ROUNDS} lease rounds, 1 winner each (${contested} processes won some); ` +
          `${all.length} generations, all distinct`,
      );
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a reader never sees an empty or partial file while the others write', async () => {
    const path = join(dir, 'reader.json');
    const clients = await startClients(path);
    let writing = true;
    const writers = Promise.all(
      clients.map((client, i) => client.call('increment', { count: 200, fields: [`p${i}`] })),
    ).finally(() => {
      writing = false;
    });
    let reads = 0;
    let damaged = 0;
    let fileChanges = 0;
    let lastText = '';
    while (writing) {
      const text = await readFile(path, 'utf8');
      reads += 1;
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null) damaged += 1;
      } catch {
        damaged += 1;
      }
      if (text !== lastText) fileChanges += 1;
      lastText = text;
    }
    await writers;
    console.log(
      `file store reader: ${reads} reads while ${PROCESSES} processes made ${PROCESSES * 200} ` +
        `writes (${fileChanges} distinct contents seen); ${damaged} empty or partial`,
    );
    expect(damaged).toBe(0);
    expect(fileChanges).toBeGreaterThan(10);
    // Temporary files are renamed into place; the lock is gone once nobody holds it.
    expect((await readdir(dir)).filter((name) => name.startsWith('reader.json'))).toEqual([
      'reader.json',
    ]);
  }, 60_000);

  it('takes over the lock of a process killed while holding it', async () => {
    const path = join(dir, 'crash.json');
    const [holder] = await startClients(path, 1);
    if (holder === undefined) throw new Error('no holder');
    expect(await holder.call('holdLock')).toBe('held');
    // SIGKILL: no exit handler runs, the lock directory stays behind as after a crash.
    await holder.kill('SIGKILL');
    const lock = lockPathOf(path);
    expect((await stat(lock)).isDirectory()).toBe(true);

    // As if the 5 s after which a lock nobody refreshes is stale had passed.
    const past = new Date(Date.now() - 6_000);
    await utimes(lock, past, past);
    const store = await createTokenStore(`file:${path}`, { namespace: NAMESPACE });
    try {
      const started = performance.now();
      expect(await store.setIfAbsent('lease', 'survivor', 60_000)).toBe(true);
      const waited = performance.now() - started;
      console.log(
        `file store: stale lock of a killed process taken over in ${waited.toFixed(1)} ms`,
      );
      expect(waited).toBeLessThan(1_000);
      expect((await store.get('lease'))?.value).toBe('survivor');
    } finally {
      await store.close();
    }
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);
  }, 30_000);
});
