import { describe, expect, it } from 'vitest';
import { nextWechatDayStart } from '../../src/shared/clock.js';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import { interceptHttp } from './fakes.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));

describe('admin forced refresh (stable_token force_refresh)', () => {
  it('enforces WeChat’s budget before calling: 30 s apart, 20 a WeChat day', async () => {
    const provider = h.provider();
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();

    const forced = await provider.refreshAccessToken({ force: true });
    expect(forced.value).not.toBe(first.value);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect((await provider.getAccessToken()).value).toBe(forced.value);

    h.clock.advance(29 * SECOND);
    const tooSoon = await provider.refreshAccessToken({ force: true }).catch((e: unknown) => e);
    expect(tooSoon).toBeInstanceOf(TokenUnavailableError);
    expect(tooSoon).toMatchObject({ reason: 'force-budget', retryAt: h.clock.now() + SECOND });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    for (let i = 2; i <= 20; i += 1) {
      h.clock.advance(30 * SECOND);
      await provider.refreshAccessToken({ force: true });
    }
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(20);
    h.clock.advance(30 * SECOND);
    const overBudget = await provider.refreshAccessToken({ force: true }).catch((e: unknown) => e);
    expect(overBudget).toMatchObject({
      reason: 'force-budget',
      retryAt: nextWechatDayStart(h.clock.now()),
    });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(20);

    // Normal mode is untouched by the spent budget.
    expect((await provider.getAccessToken()).value).not.toBe('');
    h.clock.set(nextWechatDayStart(h.clock.now()));
    await provider.refreshAccessToken({ force: true });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(21);
    const ledger = (await provider.status()).ledger;
    expect(ledger.tokenCalls).toEqual([{ endpoint: STABLE_TOKEN_API, reason: 'forced', count: 1 }]);
  });

  it('the budget is shared by every instance on the store', async () => {
    const a = h.provider({ instanceId: 'a' });
    const b = h.provider({ instanceId: 'b' });
    await a.refreshAccessToken({ force: true });
    await expect(b.refreshAccessToken({ force: true })).rejects.toMatchObject({
      reason: 'force-budget',
    });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('an open breaker refuses a forced refresh without spending budget', async () => {
    const provider = h.provider();
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40164, errmsg: 'invalid ip' });
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
    await expect(provider.refreshAccessToken({ force: true })).rejects.toMatchObject({
      reason: 'breaker-open',
    });
    await provider.resetBreaker();
    await provider.refreshAccessToken({ force: true });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
  });

  it('a refresh without force is one normal-mode call, recorded as forced by an admin', async () => {
    const provider = h.provider();
    const first = await provider.getAccessToken();
    const again = await provider.refreshAccessToken({ force: false });
    // Normal mode hands back the current token while it has more than 300 s.
    expect(again.value).toBe(first.value);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    await provider.refreshAccessToken({ force: false });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    const calls = (await provider.status()).ledger.tokenCalls;
    expect(calls).toContainEqual({ endpoint: STABLE_TOKEN_API, reason: 'forced', count: 2 });
  });

  it('legacy mode has no force_refresh: a forced refresh is a plain /cgi-bin/token call', async () => {
    const provider = h.provider({ app: officialApp('legacy') });
    const first = await provider.getAccessToken();
    const second = await provider.refreshAccessToken({ force: true });
    const third = await provider.refreshAccessToken({ force: true });
    expect(new Set([first.value, second.value, third.value]).size).toBe(3);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(3);
  });
});

describe('force_refresh is never sent on the provider’s own', () => {
  it('cold start, refresh-ahead and rejection all use normal mode', async () => {
    const bodies: unknown[] = [];
    const recording = interceptHttp(h.http, {
      postJson: (_api, _query, body) => bodies.push(body),
    });
    const provider = h.provider({ http: recording });
    const api = h.api(provider);
    const openid = h.follower();
    const token = await provider.getAccessToken();
    h.clock.set(token.expiresAt - 200 * SECOND);
    await provider.getAccessToken();
    await provider.idle();
    h.emulator.forceRotateStable(OFFICIAL.appId);
    await api.getUserInfo(openid, 'zh_CN');
    // A second rejection right away: the refresh budget allows a burst.
    h.emulator.expireTokens(OFFICIAL.appId);
    await api.getUserInfo(openid, 'zh_CN');
    expect(bodies).toHaveLength(4);
    for (const body of bodies) {
      expect(body).toEqual({
        grant_type: 'client_credential',
        appid: OFFICIAL.appId,
        secret: OFFICIAL.appSecret,
      });
    }
  });
});
