/**
 * The provider on each real store: the hot path touches no store, a restart costs no token
 * call, a slow writer never wins, and no secret reaches a key, a value, a log line or an error.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appKeys } from '../../src/tokens/keys.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { errorText } from '../support/error-text.js';
import { SECOND } from '../support/time.js';
import {
  LEGACY_TOKEN_API,
  STABLE_TOKEN_API,
  TICKET_API,
  USER_INFO_API,
} from '../support/wechat-api.js';
import { instrumentStore } from './fakes.js';
import { startHarness, type Harness } from './harness.js';
import { connectTestRedis, redisKeys, startRedisProxy, useRedisNamespaces } from './redis.js';

let dir: string;
const redis = useRedisNamespaces();
let h: Harness | undefined;
const opened: TokenStore[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-provider-'));
});

afterEach(async () => {
  await h?.close();
  h = undefined;
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openRedis(namespace: string): Promise<TokenStore> {
  const store = await redis.open(namespace);
  opened.push(store);
  return store;
}

const follower = (harness: Harness | undefined): string => {
  if (harness === undefined) throw new Error('no harness running');
  return harness.follower();
};

async function hammer(harness: Harness, count: number, run: () => Promise<unknown>): Promise<void> {
  const workers = Array.from({ length: 20 }, async () => {
    for (let i = 0; i < count / 20; i += 1) await run();
  });
  await Promise.all(workers);
  expect(harness.emulator.calls(USER_INFO_API)).toBeGreaterThanOrEqual(count);
}

describe('hot path', () => {
  it('memory store: 1000 requests with a valid token make zero store operations', async () => {
    h = await startHarness();
    const memory = await createTokenStore('memory', { clock: h.clock });
    opened.push(memory);
    const { store, ops, totalOps } = instrumentStore(memory);
    const provider = h.provider({ store });
    const api = h.api(provider);
    await api.getUserInfo(follower(h), 'zh_CN');
    ops.clear();
    h.emulator.resetCalls();
    await hammer(h, 1000, () => api.getUserInfo(follower(h), 'zh_CN'));
    expect(totalOps()).toBe(0);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('redis: 1000 requests send no command to Redis (MONITOR)', async () => {
    h = await startHarness();
    const namespace = redis.create('hot');
    const store = await openRedis(namespace);
    const provider = h.provider({ store });
    const api = h.api(provider);
    await api.getUserInfo(follower(h), 'zh_CN');

    const monitor = await connectTestRedis();
    const seen: string[] = [];
    await monitor.monitor((line) => {
      if (line.includes(namespace)) seen.push(line);
    });
    try {
      h.emulator.resetCalls();
      await hammer(h, 1000, () => api.getUserInfo(follower(h), 'zh_CN'));
      // MONITOR reports commands in the order Redis ran them, a little later: once a marker
      // sent after the hammer shows up, any command the hammer sent would have shown up first.
      const marker = await connectTestRedis();
      await marker.get(`${namespace}:after-the-hammer`);
      await marker.close();
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('after-the-hammer');
    } finally {
      await monitor.close();
    }
  });
});

describe('restart', () => {
  const specs = [
    {
      name: 'file',
      open: (path: string, harness: Harness) =>
        createTokenStore(`file:${path}`, { clock: harness.clock }),
    },
    { name: 'redis', open: (namespace: string) => openRedis(namespace) },
  ];

  it.each(specs)(
    '$name store: a new provider after a restart makes 0 token calls',
    async (spec) => {
      h = await startHarness();
      const location = spec.name === 'file' ? join(dir, 'restart.json') : redis.create('restart');
      const first = await spec.open(location, h);
      const before = h.provider({ store: first });
      const token = await before.getAccessToken();
      const ticket = await before.getJsapiTicket();
      await before.idle();
      await first.close();
      h.emulator.resetCalls();

      const second = await spec.open(location, h);
      opened.push(second);
      const after = h.provider({ store: second });
      expect((await after.getAccessToken()).value).toBe(token.value);
      expect((await after.getJsapiTicket()).value).toBe(ticket.value);
      await h.api(after).getUserInfo(follower(h), 'zh_CN');
      expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
      expect(h.emulator.calls(TICKET_API)).toBe(0);
      const status = await after.status();
      expect(status.expiresAt).toBeGreaterThan(h.clock.now() + 7100 * SECOND);
      expect(status.ledger.tokenCalls).toEqual([
        { endpoint: STABLE_TOKEN_API, reason: 'cold', count: 1 },
      ]);
      expect(status.ledger.ticketCalls).toBe(1);
    },
  );
});

describe('monotonic write', () => {
  it('a slow fetch whose lease ran out never replaces the newer token of a later fetch', async () => {
    h = await startHarness();
    const store = await createTokenStore('memory', { clock: h.clock });
    opened.push(store);
    const app = officialApp('legacy');
    const slow = h.provider({
      store,
      app,
      instanceId: 'slow',
      options: { leaseTtlMs: 5 * SECOND },
    });
    const fast = h.provider({ store, app, instanceId: 'fast' });

    h.emulator.setLatency(LEGACY_TOKEN_API, 300);
    const slowResult = slow.getAccessToken();
    await vi.waitFor(() => expect(h?.emulator.calls(LEGACY_TOKEN_API)).toBe(1));
    h.emulator.setLatency(LEGACY_TOKEN_API, 0);
    // The slow instance's lease expires; the next instance takes it and fetches a later token.
    h.clock.advance(5 * SECOND);
    const fastToken = await fast.getAccessToken();
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(2);

    const slowToken = await slowResult;
    // The slow writer lost the write and took the newer token instead of its own.
    expect(slowToken.value).toBe(fastToken.value);
    const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
    const stored = await store.get(keys.token.record);
    expect(JSON.parse(stored?.value ?? '{}')).toMatchObject({ value: fastToken.value, gen: 2 });
    expect(h.logs.text()).toContain('kept a newer access_token');
  });
});

describe('store outage', () => {
  it('Redis gone: one token call per instance, then the token is served from memory', async () => {
    h = await startHarness();
    const store = await openRedis(redis.create('outage'));
    // A closed client rejects every command, like a Redis that went away.
    await store.close();
    const provider = h.provider({ store });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => provider.getAccessToken()));
    expect(new Set(tokens.map((token) => token.value)).size).toBe(1);
    for (let i = 0; i < 100; i += 1) await provider.getAccessToken();
    await h.api(provider).getUserInfo(follower(h), 'zh_CN');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.logs.text()).toContain('token store unavailable');
  });
});

describe('Redis misbehaving mid-run', () => {
  it('a closed store stays closed: a late breaker write fails instead of reconnecting', async () => {
    const store = await redis.open(redis.create('closed'));
    await store.close();
    await expect(store.set('breaker', 'x', 60_000)).rejects.toThrow(/closed/);
    await expect(store.delete('breaker')).rejects.toThrow(/closed/);
    await expect(store.get('breaker')).rejects.toThrow(/closed/);
  });

  it('Redis stalls: callers keep their token, a rejection costs one command deadline, close() returns', async () => {
    h = await startHarness();
    const proxy = await startRedisProxy();
    const store = await redis.open(redis.create('stall'), proxy.url);
    try {
      const provider = h.provider({ store });
      const api = h.api(provider);
      const first = await provider.getAccessToken();
      proxy.stall();

      let started = performance.now();
      for (let i = 0; i < 100; i += 1) {
        expect((await provider.getAccessToken()).value).toBe(first.value);
      }
      expect(performance.now() - started).toBeLessThan(200);

      h.emulator.expireTokens(OFFICIAL.appId);
      h.emulator.resetCalls();
      started = performance.now();
      const users = await Promise.all(
        Array.from({ length: 20 }, () => api.getUserInfo(follower(h), 'zh_CN')),
      );
      const elapsed = performance.now() - started;
      expect(users).toHaveLength(20);
      expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
      // The first unanswered command waits out its 2 s deadline; the others then fail at once
      // (before: about ten store calls of 2 s each, one after another).
      expect(elapsed).toBeGreaterThan(1_900);
      expect(elapsed).toBeLessThan(3_500);

      started = performance.now();
      await store.close();
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await proxy.close();
    }
  }, 15_000);
});

describe('secret hygiene', () => {
  it('no secret in Redis keys or values, log lines or errors; no token in a log line', async () => {
    h = await startHarness();
    const namespace = redis.create('hygiene');
    const store = await openRedis(namespace);
    const provider = h.provider({ store });
    const api = h.api(provider);
    const token = await provider.getAccessToken();
    const ticket = await provider.getJsapiTicket();
    await api.getUserInfo(follower(h), 'zh_CN');
    h.emulator.expireTokens(OFFICIAL.appId);
    await api.getUserInfo(follower(h), 'zh_CN');

    const errors: unknown[] = [];
    // Token endpoint failures of every kind (a third rejection: still within the budget's burst),
    // then an open breaker.
    h.emulator.expireTokens(OFFICIAL.appId);
    h.emulator.failNext(STABLE_TOKEN_API, 3);
    errors.push(await api.getUserInfo(follower(h), 'zh_CN').catch((e: unknown) => e));
    h.clock.advance(10 * SECOND);
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40125, errmsg: 'invalid appsecret' });
    errors.push(await provider.getAccessToken().catch((e: unknown) => e));
    errors.push(await provider.getAccessToken().catch((e: unknown) => e));
    expect(errors.every((error) => error instanceof TokenUnavailableError)).toBe(true);
    await provider.resetBreaker();
    const legacy = h.provider({
      store,
      app: { ...officialApp('legacy'), appSecret: 'wrong-secret-value' },
    });
    errors.push(await legacy.getAccessToken().catch((e: unknown) => e));

    const client = await connectTestRedis();
    try {
      const keys = await redisKeys(client, namespace);
      expect(keys.length).toBeGreaterThan(5);
      const values: string[] = [];
      for (const key of keys) {
        const type = await client.type(key);
        if (type === 'string') values.push((await client.get(key)) ?? '');
        if (type === 'hash') values.push(JSON.stringify(await client.hGetAll(key)));
      }
      for (const text of [...keys, ...values]) {
        expect(text).not.toContain(OFFICIAL.appSecret);
        expect(text).not.toContain('wrong-secret-value');
      }
      expect(keys.every((key) => key.includes(OFFICIAL.appId))).toBe(true);
    } finally {
      await client.close();
    }

    const logs = h.logs.text();
    expect(logs).toContain('access_token fetched');
    for (const secret of [OFFICIAL.appSecret, 'wrong-secret-value', token.value, ticket.value]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('secret=');
    for (const error of errors) {
      const text = errorText(error);
      expect(text).not.toContain(OFFICIAL.appSecret);
      expect(text).not.toContain('wrong-secret-value');
      expect(text).not.toContain(token.value);
      expect(text).not.toContain('?');
    }
  });

  it('the file store holds no secret either', async () => {
    h = await startHarness();
    const path = join(dir, 'hygiene.json');
    const store = await createTokenStore(`file:${path}`, { clock: h.clock });
    opened.push(store);
    const provider = h.provider({ store });
    await provider.getAccessToken();
    await provider.getJsapiTicket();
    await provider.idle();
    const content = await readFile(path, 'utf8');
    expect(content).toContain(OFFICIAL.appId);
    expect(content).not.toContain(OFFICIAL.appSecret);
  });
});
