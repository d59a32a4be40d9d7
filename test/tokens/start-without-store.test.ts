/**
 * Gateways started while their Redis cannot be reached: the store opens anyway, providers serve
 * with in-process coordination, and once a Redis answers on that address they join the fleet.
 * The Redis here is a redis-server this test starts on a free loopback port and stops by PID.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { PUBLISH_RETRY_MS } from '../../src/tokens/deferred-publish.js';
import { appKeys } from '../../src/tokens/keys.js';
import type { LocalTokenProvider } from '../../src/tokens/provider.js';
import { type StoreHealth, type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { createRedisServer, type RedisServer } from '../support/redis-servers.js';
import { SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import { startHarness, type Harness } from './harness.js';
import { uniqueNamespace } from './redis.js';

let h: Harness | undefined;
let server: RedisServer | undefined;
const stores: TokenStore[] = [];

afterEach(async () => {
  await h?.close();
  h = undefined;
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await server?.stop();
  server = undefined;
});

async function until(condition: () => boolean, what: string, ms = 8_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

async function serve(harness: Harness, providers: LocalTokenProvider[]): Promise<void> {
  for (const provider of providers) {
    const api = harness.api(provider, officialApp('legacy'));
    const users = await Promise.all(
      Array.from({ length: 5 }, () => api.getUserInfo(harness.follower(), 'zh_CN')),
    );
    expect(users.map((user) => user.openid)).toEqual(Array(5).fill(harness.follower()));
    await provider.idle();
  }
}

it('starts with Redis unreachable, serves alone, and joins the fleet once Redis answers', async () => {
  const harness = await startHarness();
  h = harness;
  // Not started yet: nothing listens on its port.
  const redis = await createRedisServer();
  server = redis;
  const { url } = redis;
  const namespace = uniqueNamespace('start-without');
  const changes: StoreHealth[] = [];
  const open = async (): Promise<TokenStore> => {
    const store = await createTokenStore(url, {
      namespace,
      onHealthChange: (health) => changes.push(health),
    });
    stores.push(store);
    return store;
  };
  const app = officialApp('legacy');

  // Two gateways start while nothing listens on the port: their stores open within a second or
  // so and say they are still connecting.
  const started = performance.now();
  const [storeA, storeB] = await Promise.all([open(), open()]);
  if (storeA === undefined || storeB === undefined) throw new Error('no stores');
  expect(performance.now() - started).toBeLessThan(3_000);
  expect(storeA.health()).toEqual({ reachable: false, state: 'connecting' });
  const a = harness.provider({ store: storeA, app, instanceId: 'a' });
  const b = harness.provider({ store: storeB, app, instanceId: 'b' });

  // They serve on their own: one call each, to stable_token, which hands both the same token.
  await serve(harness, [a, b]);
  expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(2);
  expect(harness.emulator.calls(LEGACY_TOKEN_API)).toBe(0);
  const token = await a.getAccessToken();
  expect((await b.getAccessToken()).value).toBe(token.value);
  expect(harness.logs.text()).toContain('token store unreachable: this instance fetches');

  // Redis appears on that address: both stores connect on their own.
  await redis.start();
  await until(
    () => storeA.health().reachable && storeB.health().reachable,
    'the stores to connect',
  );
  expect(changes.filter((health) => health.reachable)).toHaveLength(2);

  // The token fetched without the store is published with the next access...
  harness.clock.advance(PUBLISH_RETRY_MS);
  await serve(harness, [a, b]);
  const keys = appKeys(OFFICIAL.appId, OFFICIAL.appSecret, 'legacy');
  expect(JSON.parse((await storeA.get(keys.token.record))?.value ?? '{}')).toMatchObject({
    value: token.value,
  });
  // ...so a gateway started now takes it without a token call.
  harness.emulator.resetCalls();
  const c = harness.provider({ store: await open(), app, instanceId: 'c' });
  await serve(harness, [c]);
  expect(harness.emulator.calls(STABLE_TOKEN_API) + harness.emulator.calls(LEGACY_TOKEN_API)).toBe(
    0,
  );

  // The next rotation is the fleet's again: one legacy call for the three of them.
  harness.clock.set(token.expiresAt - 200 * SECOND);
  await serve(harness, [a, b, c]);
  expect(harness.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
  expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  const values = await Promise.all([a, b, c].map(async (p) => (await p.getAccessToken()).value));
  expect(new Set(values).size).toBe(1);
  expect(values[0]).not.toBe(token.value);
}, 20_000);
