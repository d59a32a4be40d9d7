/**
 * Redis hangs (as under SIGSTOP: commands wait, then run late) across a rotation: the instance
 * that refreshed during the hang never takes back the older token the hang left in Redis.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { appKeys } from '../../src/tokens/keys.js';
import type { TokenStore } from '../../src/store/store.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API } from '../support/wechat-api.js';
import { startHarness, type Harness } from './harness.js';
import { startRedisProxy, useRedisNamespaces, type RedisProxy } from './redis.js';

const redis = useRedisNamespaces();
let h: Harness | undefined;
let proxy: RedisProxy | undefined;
const stores: TokenStore[] = [];

afterEach(async () => {
  await h?.close();
  h = undefined;
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await proxy?.close();
  proxy = undefined;
});

it('a stale token left in Redis by a hang is not adopted at the next rotation', async () => {
  const harness = await startHarness();
  h = harness;
  const hanging = await startRedisProxy();
  proxy = hanging;
  const namespace = redis.create('hang');
  const app = officialApp('legacy');
  const open = async (): Promise<TokenStore> => {
    const store = await redis.open(namespace, hanging.url);
    stores.push(store);
    return store;
  };
  const [storeA, storeB] = await Promise.all([open(), open()]);
  if (storeA === undefined || storeB === undefined) throw new Error('no stores');
  const a = harness.provider({ store: storeA, app, instanceId: 'a' });
  const b = harness.provider({ store: storeB, app, instanceId: 'b' });
  const t1 = await a.getAccessToken();
  expect((await b.getAccessToken()).value).toBe(t1.value);
  const record = appKeys(OFFICIAL.appId, OFFICIAL.appSecret, 'legacy').token.record;

  // Redis hangs. Another environment takes a legacy token (T1 dies 300 s later), and `a`
  // refreshes ahead on its own once its store gives up on Redis: T1 is never rejected to it.
  hanging.hang();
  harness.clock.set(t1.expiresAt - 15 * MINUTE);
  harness.emulator.takeLegacyToken(OFFICIAL.appId);
  harness.clock.advance(301 * SECOND);
  expect((await a.getAccessToken()).value).toBe(t1.value);
  await a.idle();
  const during = await a.getAccessToken();
  expect(during.value).not.toBe(t1.value);
  await a.idle();

  // Redis resumes with T1 still in it (and its TTL counting), and the stores use it again.
  hanging.resume();
  // After an unanswered command a store refuses commands for a few seconds (redis-store.ts).
  for (const started = performance.now(); !storeA.health().reachable; await delay(50)) {
    if (performance.now() - started > 8_000) throw new Error('the store never came back');
  }
  expect(JSON.parse((await storeA.get(record))?.value ?? '{}')).toMatchObject({
    value: t1.value,
    gen: 1,
  });

  // The next rotation, before `a` published anything: T1 looks valid by its TTL and `a` never
  // saw it rejected, but it is older than what `a` holds. `a` fetches; every call succeeds.
  harness.emulator.resetCalls();
  harness.emulator.forceRotateStable(OFFICIAL.appId);
  const used: string[] = [];
  await a.withAccessToken(async (token) => {
    used.push(token);
    return harness.api(a, app).getUserInfo(harness.follower(), 'zh_CN');
  });
  expect(used).not.toContain(t1.value);
  expect(harness.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
  const t2 = await a.getAccessToken();
  expect(JSON.parse((await storeA.get(record))?.value ?? '{}')).toMatchObject({ value: t2.value });

  // `b` held T1 all along: WeChat rejects it, and `b` takes T2 from Redis without a call.
  await harness.api(b, app).getUserInfo(harness.follower(), 'zh_CN');
  expect((await b.getAccessToken()).value).toBe(t2.value);
  expect(harness.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
}, 20_000);
