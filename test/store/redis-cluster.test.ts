/**
 * A Redis Cluster of three masters, started here (REDIS_CLUSTER=true, TOKEN_STORE = the seed
 * URLs): instances coordinate tokens (one upstream call per rotation), a logout and the login
 * limit through it, and a push received by one instance reaches the subscriber of another. Every
 * multi-key script keeps its keys in one slot, as the cluster itself computes slots.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendScriptKeys, createRedisEventBackend } from '../../src/events/redis-backend.js';
import type { UserChange } from '../../src/events/types.js';
import { redisTarget } from '../../src/store/redis-target.js';
import { appKeys } from '../../src/tokens/keys.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { CALLBACK, expectUnfollowReachesOther } from '../events/helpers.js';
import { codesOf, startGateway, type Gateway } from '../support/harness.js';
import { LOGIN, loginOfficial } from '../support/sessions.js';
import { officialApp } from '../support/apps.js';
import { freePort } from '../support/ports.js';
import { startRedisCluster, type TestCluster } from '../support/redis-servers.js';
import { SECOND } from '../support/time.js';
import { STABLE_TOKEN_API, TICKET_API } from '../support/wechat-api.js';
import { startHarness } from '../tokens/harness.js';
import { uniqueNamespace } from '../tokens/redis.js';

let cluster: TestCluster;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  await cluster.stop();
});

const CLUSTER = { cluster: true } as const;

/** A token store on the cluster, as main.ts opens it; closed after the test. */
async function clusterStore(namespace: string): Promise<TokenStore> {
  const store = await createTokenStore(cluster.spec, { namespace, redis: CLUSTER });
  closers.push(() => store.close());
  expect(store.health()).toEqual({ reachable: true, state: 'connected' });
  return store;
}

/** The store, with the keys of every nextGeneration (the store's two-key script) recorded. */
function recordingGenerations(store: TokenStore, calls: [string, string][]): TokenStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'nextGeneration') {
        return (counterKey: string, recordKey: string, atLeast?: number) => {
          calls.push([counterKey, recordKey]);
          return target.nextGeneration(counterKey, recordKey, atLeast);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

async function slotsOf(keys: readonly string[]): Promise<Set<number>> {
  return new Set(await Promise.all(keys.map((key) => cluster.keyslot(key))));
}

describe('tokens on a Redis Cluster', () => {
  it('five instances make one token call and one ticket call per rotation', async () => {
    const namespace = uniqueNamespace('cluster-tokens');
    const h = await startHarness();
    closers.push(() => h.close());
    const generations: [string, string][] = [];
    const providers = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) =>
        h.provider({
          store: recordingGenerations(await clusterStore(namespace), generations),
          instanceId: `cluster-${i}`,
        }),
      ),
    );
    const burst = async () => {
      const tokens = await Promise.all(
        providers.flatMap((p) => Array.from({ length: 10 }, () => p.getAccessToken())),
      );
      const tickets = await Promise.all(providers.map((p) => p.getJsapiTicket()));
      return {
        tokens: new Set(tokens.map((t) => t.value)),
        tickets: new Set(tickets.map((t) => t.value)),
      };
    };
    const first = await burst();
    expect(first.tokens.size).toBe(1);
    expect(first.tickets.size).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(TICKET_API)).toBe(1);

    // Inside the refresh-ahead window of both (200 s before their 7200 s run out): the fleet
    // refreshes once, in the background of whoever asks first.
    h.clock.advance(7000 * SECOND);
    const second = await burst();
    await Promise.all(providers.map((p) => p.idle()));
    expect(second.tokens.size).toBe(1);
    expect(second.tickets.size).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    expect(h.emulator.calls(TICKET_API)).toBe(2);

    // The two-key script ran, each time on keys of one slot.
    expect(generations.length).toBeGreaterThanOrEqual(2);
    for (const keys of generations) {
      expect(await slotsOf(keys.map((key) => `${namespace}:${key}`))).toHaveProperty('size', 1);
    }
    const keys = (await cluster.keys()).filter((key) => key.includes(namespace));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`${namespace}:`)).toBe(true);
  });
});

describe('a Redis Cluster that cannot be reached', () => {
  it('starts the store anyway: unreachable, failing at once, closed without waiting', async () => {
    const port = await freePort();
    const changes: string[] = [];
    const started = performance.now();
    const store = await createTokenStore(`redis://127.0.0.1:${port}`, {
      namespace: uniqueNamespace('cluster-down'),
      redis: CLUSTER,
      onHealthChange: (health) => changes.push(health.state),
    });
    expect(performance.now() - started).toBeLessThan(6_000);
    expect(store.health()).toEqual({ reachable: false, state: 'connecting' });
    expect(changes[0]).toBe('connecting');
    await expect(store.get('anything')).rejects.toThrow();
    await store.close();
    expect(store.health().state).toBe('closed');
  });
});

describe('every multi-key script keeps its keys in one slot', () => {
  const appIds = ['wx0123456789abcdef', 'wxfedcba9876543210', 'wx1', 'wxa{b', 'wx}x'];

  it('the token store: nextGeneration(counter, record) of the token and the ticket', async () => {
    for (const prefix of ['wgg', 'shop-a:prod', 'x.y']) {
      for (const appId of appIds) {
        const keys = appKeys(appId, `secret-of-${appId}`, 'stable');
        for (const credential of [keys.token, keys.ticket]) {
          const pair = [credential.generation, credential.record].map((k) => `${prefix}:${k}`);
          expect(await slotsOf(pair), pair.join(' ')).toHaveProperty('size', 1);
        }
      }
    }
  });

  it('the event log: the append script (log, de-duplication marker, trim mark)', async () => {
    for (const prefix of ['wgg', 'shop-a:prod']) {
      for (const appId of appIds) {
        const keys = appendScriptKeys(prefix, appId, `push-${appId}`);
        expect(await slotsOf(keys), keys.join(' ')).toHaveProperty('size', 1);
      }
    }
  });
});

async function clusterGateway(
  namespace: string,
  options: { changes?: UserChange[]; loginLimit?: number } = {},
): Promise<Gateway> {
  const store = await clusterStore(namespace);
  const backend = await createRedisEventBackend(redisTarget(cluster.spec, CLUSTER), {
    namespace,
    retain: 100,
  });
  closers.push(() => backend.close());
  const gw = await startGateway({
    store,
    access: { rateLimits: { login: options.loginLimit ?? 30, jsapiConfig: 120 } },
    events: {
      callbacks: { official: CALLBACK },
      backend,
      onUserChange: (change) => options.changes?.push(change),
    },
  });
  closers.push(() => gw.close());
  return gw;
}

describe('the access model on a Redis Cluster', () => {
  it('a logout on one instance ends the session on another', async () => {
    const namespace = uniqueNamespace('cluster-sessions');
    const gw = await clusterGateway(namespace);
    const other = await clusterGateway(namespace);
    // Several sessions: their keys land on different nodes.
    const tokens = [];
    for (let i = 0; i < 6; i++) tokens.push((await loginOfficial(gw)).token);
    const me = async (via: Pick<Gateway, 'query'>, token: string) =>
      (await via.query('{ me { openid } }', { as: { token } })).status;
    for (const token of tokens) {
      expect(await me(other, token)).toBe(200);
      expect((await gw.query('mutation { logout }', { as: { token } })).body).toEqual({
        data: { logout: true },
      });
      expect(await me(gw, token)).toBe(401);
    }
    // `other` reads the store again once its last reading is a second old.
    other.clock.advance(1000);
    for (const token of tokens) expect(await me(other, token)).toBe(401);
  });

  it('two instances count the login limit together', async () => {
    const namespace = uniqueNamespace('cluster-rate');
    const a = await clusterGateway(namespace, { loginLimit: 3 });
    const b = await clusterGateway(namespace, { loginLimit: 3 });
    // Several client addresses: their counters land on different nodes.
    for (const clientAddress of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '203.0.113.9']) {
      const attempt = (gw: Gateway, i: number) =>
        gw.query(LOGIN, { as: 'anonymous', clientAddress, variables: { code: `wrong-code-${i}` } });
      // Three a minute per address: two on A, one on B, and the fourth is refused on either.
      for (const [gw, i] of [
        [a, 1],
        [a, 2],
        [b, 3],
      ] as const) {
        expect(codesOf((await attempt(gw, i)).body)).not.toContain('RATE_LIMITED');
      }
      expect(codesOf((await attempt(b, 4)).body)).toEqual(['RATE_LIMITED']);
      expect(codesOf((await attempt(a, 5)).body)).toEqual(['RATE_LIMITED']);
    }
  });
});

describe('events on a Redis Cluster', () => {
  it('a push received by one instance reaches the subscriber of another', async () => {
    const namespace = uniqueNamespace('cluster-events');
    const heardByA: UserChange[] = [];
    const heardByB: UserChange[] = [];
    const a = await clusterGateway(namespace, { changes: heardByA });
    await clusterGateway(namespace, { changes: heardByB });
    const pushed = await expectUnfollowReachesOther(a, heardByB);
    expect(pushed.status).toBe(200);
    const keys = (await cluster.keys()).filter((key) => key.includes(namespace));
    expect(keys).toContain(`${namespace}:events:{${officialApp().appId}}:log`);
  });
});
