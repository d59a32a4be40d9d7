/**
 * REDIS_KEY_PREFIX on a redis-server of the test's own (so every key in it is the gateway's):
 * after tokens, tickets, logins, a logout, the login limit and pushes, every key starts with the
 * prefix; two deployments with different prefixes on one Redis share no token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { createRedisEventBackend } from '../../src/events/redis-backend.js';
import { redisTarget } from '../../src/store/redis-target.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { CALLBACK, GH_ID, postPush } from '../events/helpers.js';
import { startGateway } from '../support/harness.js';
import { loginMini, loginOfficial } from '../support/sessions.js';
import { startPlainRedis, type RedisServer } from '../support/redis-servers.js';
import { STABLE_TOKEN_API } from '../support/wechat-api.js';
import { startHarness } from '../tokens/harness.js';

let redis: RedisServer;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startPlainRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  await redis.stop();
});

async function store(namespace: string): Promise<TokenStore> {
  const opened = await createTokenStore(redis.url, { namespace });
  closers.push(() => opened.close());
  return opened;
}

describe('REDIS_KEY_PREFIX', () => {
  it('every key the gateway writes starts with it', async () => {
    const prefix = 'shop-a:prod';
    const backend = await createRedisEventBackend(redisTarget(redis.url), {
      namespace: prefix,
      retain: 2,
    });
    closers.push(() => backend.close());
    const gw = await startGateway({
      store: await store(prefix),
      events: { callbacks: { official: CALLBACK }, backend },
    });
    closers.push(() => gw.close());

    const signed = await gw.query(
      '{ jsapiConfig(url: "https://shop.example.com/") { signature } }',
      { as: 'anonymous' },
    );
    expect(signed.body.errors).toBeUndefined();
    const { token } = await loginOfficial(gw);
    await loginMini(gw);
    expect((await gw.query('mutation { logout }', { as: { token } })).body.errors).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      const message = pushMessages.follow({
        to: GH_ID,
        openid: `oFan${i}`,
        createTime: Math.floor(gw.clock.now() / 1000),
      });
      expect(
        (await postPush(gw.yoga.fetch, 'http://gw.test', gw.clock.now(), message)).status,
      ).toBe(200);
    }

    const keys = await redis.keys();
    // What the scenario wrote: tokens and tickets, sessions, the login limit, the event log.
    for (const part of [
      ':token:',
      ':ticket:',
      ':session:',
      ':rate:login:',
      ':log',
      ':seen:',
      ':trimmed',
    ]) {
      expect(
        keys.some((key) => key.includes(part)),
        `a key with ${part}`,
      ).toBe(true);
    }
    expect(keys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
  });

  it('two prefixes on one Redis share no token; one prefix shares it', async () => {
    const h = await startHarness();
    closers.push(() => h.close());
    const [a1, a2, b] = [
      h.provider({ store: await store('shop-a'), instanceId: 'a1' }),
      h.provider({ store: await store('shop-a'), instanceId: 'a2' }),
      h.provider({ store: await store('shop-b'), instanceId: 'b' }),
    ];
    const tokenA = (await a1.getAccessToken()).value;
    expect((await a2.getAccessToken()).value).toBe(tokenA);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    await b.getAccessToken();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
  });
});
