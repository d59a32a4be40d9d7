/**
 * Refreshes caused by a rejected token spend from a budget: a burst of 3, one more every 2 min,
 * fleet-wide in the store. Invalidations in quick succession all succeed; a token WeChat keeps
 * rejecting costs a bounded number of token calls and is not handed out once known dead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { fingerprint } from '../../src/tokens/keys.js';
import {
  DEFAULT_TOKEN_PROVIDER_OPTIONS,
  type LocalTokenProvider,
} from '../../src/tokens/provider.js';
import type { TokenStore } from '../../src/store/store.js';
import { WechatApiError } from '../../src/wechat/errors.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { startHarness, useMemoryHarness, type Harness, type MemoryHarness } from './harness.js';
import { useRedisNamespaces } from './redis.js';

/** Concurrent business calls through `provider`; what each caller got. */
async function wave(harness: Harness, provider: LocalTokenProvider, size = 10): Promise<unknown[]> {
  const api = harness.api(provider, officialApp(provider.app.tokenMode));
  return Promise.all(
    Array.from({ length: size }, () =>
      api.getUserInfo(harness.follower(), 'zh_CN').catch((error: unknown) => error),
    ),
  );
}

function expectAll(results: unknown[], check: (result: unknown) => void): void {
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) check(result);
}

const rejectedByWechat = (result: unknown): void => {
  expect(result).toBeInstanceOf(WechatApiError);
  expect(result).toMatchObject({ errcode: 40001 });
};
const refusedByBudget = (result: unknown): void => {
  expect(result).toBeInstanceOf(TokenUnavailableError);
  expect(result).toMatchObject({ reason: 'refresh-budget' });
};
const succeeded = (result: unknown): void => {
  expect(result).toMatchObject({ subscribe: 1 });
};

describe('memory store', () => {
  let h: MemoryHarness;
  useMemoryHarness((harness) => (h = harness));

  it('a token WeChat keeps rejecting while stable_token hands it back: 3 calls at once, then one per 2 min', async () => {
    const provider = h.provider();
    const token = await provider.getAccessToken();
    h.emulator.resetCalls();
    h.emulator.failNext(USER_INFO_API, 10_000, { errcode: 40001 });

    // Each wave: one refresh (WeChat hands the same token back), one retry per call, which
    // WeChat rejects again: the caller sees WeChat's answer.
    for (let refreshes = 1; refreshes <= 3; refreshes += 1) {
      expectAll(await wave(h, provider), rejectedByWechat);
      expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(refreshes);
    }
    expect(h.emulator.calls(USER_INFO_API)).toBe(3 * 10 * 2);

    // The budget is spent: no refresh and no retry for the next wave...
    expectAll(await wave(h, provider), rejectedByWechat);
    expect(h.emulator.calls(USER_INFO_API)).toBe(3 * 10 * 2 + 10);
    // ...and from then on the dead token is not handed out: callers fail at once, WeChat sees
    // neither a token call nor a business call with it.
    const refused = await wave(h, provider);
    expectAll(refused, refusedByBudget);
    expect(refused[0]).toMatchObject({ retryAt: h.clock.now() + 2 * MINUTE });
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'refresh-budget' });
    expect(h.emulator.calls(USER_INFO_API)).toBe(3 * 10 * 2 + 10);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    // Said where an admin looks: every call refused until then, though the breaker is closed.
    const status = await provider.status();
    expect(status.breaker.open).toBe(false);
    expect(status.rejectedRefreshBudget).toMatchObject({
      remaining: 0,
      nextRefillAt: h.clock.now() + 2 * MINUTE,
      refusedUntil: h.clock.now() + 2 * MINUTE,
    });
    expect(provider.refusedUntil()).toBe(h.clock.now() + 2 * MINUTE);

    // One refresh comes back every 2 minutes: the next wave spends it (the token comes back and
    // WeChat rejects it again), and the one after is refused again.
    h.clock.advance(2 * MINUTE - 1);
    expectAll(await wave(h, provider), refusedByBudget);
    h.clock.advance(1);
    expectAll(await wave(h, provider), rejectedByWechat);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    expectAll(await wave(h, provider), refusedByBudget);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);

    const ledger = (await provider.status()).ledger;
    expect(ledger.tokenCalls).toEqual([
      { endpoint: STABLE_TOKEN_API, reason: 'cold', count: 1 },
      { endpoint: STABLE_TOKEN_API, reason: 'rejected', count: 4 },
    ]);
    // Said once each, by fingerprint only.
    expect(h.logs.matching('brought back the rejected')).toHaveLength(1);
    expect(h.logs.matching('budget of refreshes for rejected tokens is spent')).toHaveLength(2);
    expect(h.logs.text()).toContain(fingerprint(token.value));
    expect(h.logs.text()).not.toContain(token.value);
  });

  it('three invalidations within 30 s all succeed, one token call each for the fleet', async () => {
    const app = officialApp('legacy');
    const fleet = ['a', 'b'].map((instanceId) => h.provider({ app, instanceId }));
    for (const provider of fleet) expectAll(await wave(h, provider), succeeded);
    h.emulator.resetCalls();

    // Another environment takes a legacy token: ours dies 300 s later.
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);
    for (const provider of fleet) expectAll(await wave(h, provider), succeeded);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    // 10 s later the new token is killed too, and again 10 s after that.
    for (const call of [2, 3]) {
      h.clock.advance(10 * SECOND);
      h.emulator.expireTokens(OFFICIAL.appId);
      for (const provider of fleet) expectAll(await wave(h, provider), succeeded);
      expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(call);
    }
    expect((await fleet[1]?.status())?.rejectedRefreshBudget.remaining).toBe(0);
  });

  it('the budget is fleet-wide, and a token the fleet already has is taken without spending', async () => {
    const [a, b] = ['a', 'b'].map((instanceId) => h.provider({ instanceId }));
    if (a === undefined || b === undefined) throw new Error('no providers');
    await a.getAccessToken();
    await b.getAccessToken();
    h.emulator.resetCalls();
    for (let i = 0; i < 3; i += 1) {
      h.emulator.expireTokens(OFFICIAL.appId);
      expectAll(await wave(h, a), succeeded);
    }
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);

    // `b` meets a rejection the fleet has no answer for: the fleet's budget is spent.
    h.emulator.expireTokens(OFFICIAL.appId);
    const refusedB = await wave(h, b, 1);
    expect(refusedB[0]).toBeInstanceOf(WechatApiError);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);

    // Once one refresh is back, `a` spends it; `b` then takes the new token from the store.
    h.clock.advance(2 * MINUTE);
    expectAll(await wave(h, a), succeeded);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    expectAll(await wave(h, b), succeeded);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    expect((await b.getAccessToken()).value).toBe((await a.getAccessToken()).value);
    expect((await b.status()).rejectedRefreshBudget.remaining).toBe(0);
  });

  it('defaults to a burst of 3 and one back every 2 min; rejects nonsense', () => {
    expect(DEFAULT_TOKEN_PROVIDER_OPTIONS.rejectedRefreshBurst).toBe(3);
    expect(DEFAULT_TOKEN_PROVIDER_OPTIONS.rejectedRefreshRefillMs).toBe(2 * MINUTE);
    expect(() => h.provider({ options: { rejectedRefreshBurst: 0 } })).toThrow(
      /rejectedRefreshBurst/,
    );
    expect(() => h.provider({ options: { rejectedRefreshBurst: 2.5 } })).toThrow(
      /rejectedRefreshBurst must be a whole number/,
    );
    expect(() => h.provider({ options: { rejectedRefreshRefillMs: -1 } })).toThrow(
      /rejectedRefreshRefillMs/,
    );
  });
});

describe('Redis', () => {
  const redis = useRedisNamespaces();
  let h: Harness | undefined;
  const stores: TokenStore[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('the burst and the refill hold across instances, by Redis’ clock', async () => {
    const harness = await startHarness();
    h = harness;
    const namespace = redis.create('budget');
    const refillMs = 600;
    const options = { rejectedRefreshRefillMs: refillMs };
    const instances = await Promise.all(
      ['a', 'b'].map(async (instanceId) => {
        const store = await redis.open(namespace);
        stores.push(store);
        return harness.provider({ store, instanceId, options });
      }),
    );
    const [a, b] = instances;
    if (a === undefined || b === undefined) throw new Error('no providers');
    await a.getAccessToken();
    await b.getAccessToken();
    harness.emulator.resetCalls();
    const rejected = (result: unknown): void => expect(result).toMatchObject({ errcode: 42001 });

    // Three rotations in a row, each caused by a rejection: `a` refreshes each time.
    for (let calls = 1; calls <= 3; calls += 1) {
      harness.emulator.expireTokens(OFFICIAL.appId);
      expectAll(await wave(harness, a, 3), succeeded);
      expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(calls);
    }
    expect((await b.status()).rejectedRefreshBudget).toMatchObject({ remaining: 0, local: false });

    // A fourth: the fleet's budget is spent, for `a` and for `b` alike (b first retries with
    // the store's token, which WeChat rejects too, then has nothing left to try).
    harness.emulator.expireTokens(OFFICIAL.appId);
    for (const provider of [a, b, b]) expectAll(await wave(harness, provider, 3), rejected);
    expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(3);

    // One refill later (Redis' clock; each provider's own refusal ends by its clock): one more
    // refresh for the fleet, which `b` spends and `a` takes from the store.
    await delay(refillMs + 100);
    harness.clock.advance(refillMs + 100);
    expect((await a.status()).rejectedRefreshBudget.remaining).toBe(1);
    expectAll(await wave(harness, b, 3), succeeded);
    expectAll(await wave(harness, a, 3), succeeded);
    expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    harness.emulator.expireTokens(OFFICIAL.appId);
    expectAll(await wave(harness, a, 3), rejected);
    expect(harness.emulator.calls(STABLE_TOKEN_API)).toBe(4);
  });
});
