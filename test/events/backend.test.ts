/**
 * Both event backends keep the same contract: a push is logged once per de-duplication key, ids
 * grow, `read` is exclusive of `after`, every live message names the id before it, trimming
 * is reported, and watchers hear appends (made anywhere sharing the backend).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import type { EventBackend, LiveMessage } from '../../src/events/backend.js';
import { compareEventIds } from '../../src/events/event-ids.js';
import { createMemoryEventBackend } from '../../src/events/memory-backend.js';
import { createRedisEventBackend } from '../../src/events/redis-backend.js';
import { redisTarget } from '../../src/store/redis-target.js';
import type { NewEvent } from '../../src/events/types.js';
import { createTokenStore } from '../../src/store/open.js';
import { REDIS_URL, useRedisNamespaces } from '../tokens/redis.js';

const APP = 'wx00000000000000a1';
const redis = useRedisNamespaces();

function event(n: number): NewEvent {
  return {
    kind: 'MENU_CLICK',
    app: 'official',
    openid: `oUser${n}`,
    createdAt: new Date(1_768_442_400_000 + n * 1000).toISOString(),
    receivedAt: new Date(1_768_442_400_000 + n * 1000).toISOString(),
    data: { key: `K${n}` },
  };
}

const dedupe = (n: number) => ({ key: `evt-${n}`, ttlMs: 60_000 });

type Make = (retain: number) => Promise<EventBackend[]>;
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

const memory: Make = async (retain) => {
  const clock = createManualClock();
  const store = await createTokenStore('memory', { clock });
  const backend = createMemoryEventBackend({ store, clock, retain });
  opened.push(store, backend);
  return [backend];
};

/** Two backends on one namespace: two instances of a fleet. */
const fleet: Make = async (retain) => {
  const namespace = redis.create('events');
  const store = await redis.open(namespace);
  opened.push(store);
  const backends = await Promise.all(
    [0, 1].map(() => createRedisEventBackend(redisTarget(REDIS_URL), { namespace, retain })),
  );
  opened.push(...backends);
  return backends;
};

describe.each([
  ['memory', memory],
  ['redis', fleet],
] as const)('the %s event backend', (_name, make) => {
  it('logs a push once per key, in order, and reads exclusively after an id', async () => {
    const [backend] = await make(100);
    if (!backend) throw new Error('no backend');
    const first = await backend.append(APP, event(1), dedupe(1));
    expect(await backend.append(APP, event(1), dedupe(1))).toBe('duplicate');
    const second = await backend.append(APP, event(2), dedupe(2));
    if (first === 'duplicate' || second === 'duplicate') throw new Error('not logged');
    expect(first.prev).toBeNull();
    expect(second.prev).toBe(first.event.id);
    expect(compareEventIds(first.event.id, second.event.id)).toBeLessThan(0);
    expect(await backend.read(APP, null, 10)).toEqual([first.event, second.event]);
    expect(await backend.read(APP, first.event.id, 10)).toEqual([second.event]);
    expect(await backend.read(APP, second.event.id, 10)).toEqual([]);
    expect(await backend.lastId(APP)).toBe(second.event.id);
    expect(await backend.lastId('wx-other')).toBeNull();
    expect(await backend.trimmedThrough(APP)).toBeNull();
  });

  it('announces each append to every watcher with the id before it', async () => {
    const backends = await make(100);
    const heard: LiveMessage[][] = backends.map(() => []);
    const watches = backends.map((backend, i) => backend.watch(APP, (m) => heard[i]?.push(m)));
    await Promise.all(watches.map((watch) => watch.ready));
    const appended: LiveMessage[] = [];
    for (let n = 0; n < 6; n++) {
      const writer = backends[n % backends.length];
      const result = await writer?.append(APP, event(n), dedupe(n));
      if (result && result !== 'duplicate') appended.push(result);
    }
    await expect.poll(() => heard.map((list) => list.length)).toEqual(backends.map(() => 6));
    for (const list of heard) expect(list).toEqual(appended);
    for (const watch of watches) watch.close();
  });

  it('lets watchers go after the backend closed without an unhandled rejection', async () => {
    const [backend] = await make(10);
    if (!backend) throw new Error('no backend');
    const watch = backend.watch(APP, () => undefined);
    await watch.ready;
    const late = backend.watch('wx-late', () => undefined);
    await backend.close();
    watch.close();
    late.close();
    // An unhandled rejection would fail the run; give one a chance to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('trims to the retained count and says through which id', async () => {
    const [backend] = await make(10);
    if (!backend) throw new Error('no backend');
    // Redis trims whole stream nodes (100 entries) with MAXLEN ~: enough to trim some.
    const ids: string[] = [];
    for (let n = 0; n < 250; n++) {
      const result = await backend.append(APP, event(n), dedupe(n));
      if (result !== 'duplicate') ids.push(result.event.id);
    }
    const kept = await backend.read(APP, null, 1000);
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(250);
    expect(kept.map((e) => e.id)).toEqual(ids.slice(ids.length - kept.length));
    expect(await backend.trimmedThrough(APP)).toBe(ids[ids.length - kept.length - 1]);
  });
});
