/**
 * `rediss://`: a redis-server of the test's own that answers only TLS, its certificate signed by
 * a CA made here. Every client the gateway opens (token store, access model, event log and its
 * pub/sub) works through it with the CA of REDIS_TLS_CA_FILE; without that CA the server is not
 * trusted unless REDIS_TLS_REJECT_UNAUTHORIZED=false says so.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventBackend } from '../../src/events/redis-backend.js';
import type { UserChange } from '../../src/events/types.js';
import { redisTarget, type RedisTarget } from '../../src/store/redis-target.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { CALLBACK, expectUnfollowReachesOther } from '../events/helpers.js';
import { startGateway, type Gateway } from '../support/harness.js';
import { loginOfficial } from '../support/sessions.js';
import { startGatewayMain, waitListening, type Child } from '../support/processes.js';
import {
  startRedisCluster,
  startTlsRedis,
  type TestCluster,
  type TlsRedis,
} from '../support/redis-servers.js';
import { STABLE_TOKEN_API } from '../support/wechat-api.js';
import { startHarness } from '../tokens/harness.js';
import { uniqueNamespace } from '../tokens/redis.js';

let server: TlsRedis;
let inspector: Redis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startTlsRedis();
  inspector = new Redis(server.url, { tls: { ca: server.caPem }, lazyConnect: true });
  await inspector.connect();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  inspector.disconnect();
  await server.stop();
});

const trusted = (): Omit<RedisTarget, 'urls'> => ({ cluster: false, tlsCa: server.caPem });

async function tlsStore(
  namespace: string,
  redis: Omit<RedisTarget, 'urls'> = trusted(),
): Promise<TokenStore> {
  const store = await createTokenStore(server.url, { namespace, redis });
  closers.push(() => store.close());
  return store;
}

async function keysOf(namespace: string): Promise<string[]> {
  return (await inspector.keys(`${namespace}:*`)).sort();
}

describe('the token store on rediss://', () => {
  it('three instances share one token call through the TLS server', async () => {
    const namespace = uniqueNamespace('tls-tokens');
    const h = await startHarness();
    closers.push(() => h.close());
    const stores = await Promise.all([0, 1, 2].map(() => tlsStore(namespace)));
    for (const store of stores)
      expect(store.health()).toEqual({ reachable: true, state: 'connected' });
    const providers = stores.map((store, i) => h.provider({ store, instanceId: `tls-${i}` }));
    const tokens = await Promise.all(
      providers.flatMap((p) => Array.from({ length: 10 }, () => p.getAccessToken())),
    );
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(await keysOf(namespace)).not.toEqual([]);
  });

  it('does not trust the server without its CA, unless told not to verify', async () => {
    const untrusted = await tlsStore(uniqueNamespace('tls-untrusted'), { cluster: false });
    expect(untrusted.health().reachable).toBe(false);
    await expect(untrusted.set('probe', '1')).rejects.toThrow();

    const unverified = await tlsStore(uniqueNamespace('tls-unverified'), {
      cluster: false,
      tlsRejectUnauthorized: false,
    });
    expect(unverified.health()).toEqual({ reachable: true, state: 'connected' });
  });
});

async function tlsGateway(
  namespace: string,
  changes: UserChange[] = [],
  target: RedisTarget = redisTarget(server.url, trusted()),
): Promise<Gateway> {
  const { urls, ...redis } = target;
  const store = await createTokenStore(urls.join(','), { namespace, redis });
  closers.push(() => store.close());
  const backend = await createRedisEventBackend(target, {
    namespace,
    retain: 100,
  });
  closers.push(() => backend.close());
  const gw = await startGateway({
    store,
    events: {
      callbacks: { official: CALLBACK },
      backend,
      onUserChange: (change) => changes.push(change),
    },
  });
  closers.push(() => gw.close());
  return gw;
}

describe('sessions and events on rediss://', () => {
  it('a logout on one instance ends the session on another', async () => {
    const namespace = uniqueNamespace('tls-sessions');
    const gw = await tlsGateway(namespace);
    const other = await tlsGateway(namespace);
    const { token } = await loginOfficial(gw);
    const me = async (via: Pick<Gateway, 'query'>) =>
      (await via.query('{ me { openid } }', { as: { token } })).status;
    expect(await me(other)).toBe(200);
    expect((await gw.query('mutation { logout }', { as: { token } })).body).toEqual({
      data: { logout: true },
    });
    other.clock.advance(1000);
    expect(await me(other)).toBe(401);
    expect((await keysOf(namespace)).some((key) => key.endsWith(':revoked'))).toBe(true);
  });

  it('a push received by one instance reaches the subscriber of another', async () => {
    await pushReachesOtherInstance(uniqueNamespace('tls-events'));
  });
});

async function pushReachesOtherInstance(namespace: string, target?: RedisTarget): Promise<void> {
  const heardByB: UserChange[] = [];
  const a = await tlsGateway(namespace, [], target);
  await tlsGateway(namespace, heardByB, target);
  await expectUnfollowReachesOther(a, heardByB);
}

describe('a Redis Cluster on rediss://', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ tls: true });
  });
  afterAll(async () => {
    await cluster.stop();
  });
  const target = () => redisTarget(cluster.spec, { cluster: true, tlsCa: cluster.caPem });

  it('three instances share one token call; a push reaches another instance', async () => {
    const namespace = uniqueNamespace('tls-cluster');
    const h = await startHarness();
    closers.push(() => h.close());
    const { urls, ...redis } = target();
    const providers = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const store = await createTokenStore(urls.join(','), { namespace, redis });
        closers.push(() => store.close());
        expect(store.health()).toEqual({ reachable: true, state: 'connected' });
        return h.provider({ store, instanceId: `tls-cluster-${i}` });
      }),
    );
    const tokens = await Promise.all(
      providers.flatMap((p) => Array.from({ length: 10 }, () => p.getAccessToken())),
    );
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    await pushReachesOtherInstance(namespace, target());
    expect((await cluster.keys()).filter((key) => key.startsWith(`${namespace}:`))).not.toEqual([]);
  });
});

describe('the gateway process on rediss://', () => {
  let child: Child | undefined;
  afterEach(async () => {
    await child?.stop('SIGKILL');
    child = undefined;
  });

  it('reads REDIS_TLS_CA_FILE and REDIS_KEY_PREFIX: its store answers and its keys carry the prefix', async () => {
    const prefix = uniqueNamespace('tls-process');
    child = startGatewayMain({
      TOKEN_STORE: server.url,
      REDIS_TLS_CA_FILE: server.caFile,
      REDIS_KEY_PREFIX: prefix,
      PORT: '0',
      LOG_FORMAT: 'json',
    });
    const { url } = await waitListening(child);
    const base = new URL(url).origin;
    const ready = (await (await fetch(`${base}/readyz`)).json()) as {
      tokenStore: { kind: string; state: string };
    };
    expect(ready.tokenStore).toMatchObject({ kind: 'redis', state: 'connected' });
    // A JS-SDK signature needs a ticket, which needs a token: both land in the store.
    const signed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ jsapiConfig(url: "https://example.com/") { signature } }' }),
    });
    expect(((await signed.json()) as { errors?: unknown }).errors).toBeUndefined();
    const keys = await keysOf(prefix);
    expect(keys.some((key) => key.includes(':token:'))).toBe(true);
    expect(keys.some((key) => key.includes(':ticket:'))).toBe(true);
  });
});
