import { describe, expect, it } from 'vitest';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { WechatApiError } from '../../src/wechat/errors.js';
import { appKeys } from '../../src/tokens/keys.js';
import { DEFAULT_TOKEN_PROVIDER_OPTIONS } from '../../src/tokens/provider.js';
import { createTokenStore } from '../../src/store/open.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { HOUR, MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
const restartHarness = useMemoryHarness((harness) => (h = harness));

describe('cold start', () => {
  it('500 concurrent callers cost one stable_token call and all get the same token', async () => {
    const provider = h.provider();
    const tokens = await Promise.all(Array.from({ length: 500 }, () => provider.getAccessToken()));
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(new Set(tokens.map((token) => token.value)).size).toBe(1);
    const [first] = tokens;
    expect(first?.mode).toBe('stable');
    expect(first?.expiresAt).toBe(h.clock.now() + 7200 * SECOND);
    expect(first?.fetchedAt).toBe(h.clock.now());
  });

  it('legacy mode calls /cgi-bin/token, never stable_token, under its own cache key', async () => {
    const stable = h.provider();
    const legacy = h.provider({ app: officialApp('legacy') });
    const [a, b] = await Promise.all([stable.getAccessToken(), legacy.getAccessToken()]);
    expect(a.value).not.toBe(b.value);
    expect(b.mode).toBe('legacy');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    // A second pair of providers (e.g. after a restart) reads both back from the store.
    const again = await Promise.all([
      h.provider().getAccessToken(),
      h.provider({ app: officialApp('legacy') }).getAccessToken(),
    ]);
    expect(again.map((token) => token.value)).toEqual([a.value, b.value]);
    expect(h.emulator.calls(STABLE_TOKEN_API) + h.emulator.calls(LEGACY_TOKEN_API)).toBe(2);
  });

  it('a business call through withAccessToken works with the cached token', async () => {
    const provider = h.provider();
    const api = h.api(provider);
    const user = await api.getUserInfo(h.follower(), 'zh_CN');
    expect(user.openid).toBe(h.follower());
    expect(user.subscribe).toBe(1);
    await api.getUserInfo(h.follower(), 'en');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(USER_INFO_API)).toBe(2);
  });
});

describe('refresh ahead', () => {
  it('stable: one background call inside the last 300 s; every caller gets the current token at once', async () => {
    const provider = h.provider();
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();

    // Outside the window (stable clamps it to 285 s before expiry): nothing happens.
    h.clock.set(first.expiresAt - 290 * SECOND);
    await provider.getAccessToken();
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);

    h.clock.set(first.expiresAt - 250 * SECOND);
    const during = await Promise.all(Array.from({ length: 200 }, () => provider.getAccessToken()));
    // Had any caller waited for the refresh, it would hold the new token.
    expect(during.every((token) => token.value === first.value)).toBe(true);
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    const after = await provider.getAccessToken();
    expect(after.value).not.toBe(first.value);
    expect(after.expiresAt).toBe(h.clock.now() + 7200 * SECOND);
    expect((await provider.status()).lastRefreshReason).toBe('ahead');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('legacy: the window opens refreshAheadMs (minus this instance’s jitter) before expiry', async () => {
    const provider = h.provider({
      app: officialApp('legacy'),
      options: { refreshAheadMs: 10 * MINUTE, refreshJitterMs: 60 * SECOND },
      random: () => 0.5,
    });
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();
    // jitter = 0.5 · 60 s = 30 s, so the window opens at 9.5 min before expiry.
    h.clock.set(first.expiresAt - 9.5 * MINUTE - 1);
    await provider.getAccessToken();
    await provider.idle();
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(0);
    h.clock.advance(1);
    expect((await provider.getAccessToken()).value).toBe(first.value);
    await provider.idle();
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect((await provider.getAccessToken()).value).not.toBe(first.value);
  });

  it('a second instance adopts the refreshed token from the store instead of fetching', async () => {
    const a = h.provider({ instanceId: 'a' });
    const b = h.provider({ instanceId: 'b' });
    const first = await a.getAccessToken();
    expect((await b.getAccessToken()).value).toBe(first.value);
    h.emulator.resetCalls();
    h.clock.set(first.expiresAt - 200 * SECOND);
    await a.getAccessToken();
    await a.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    const refreshed = await a.getAccessToken();
    await b.getAccessToken();
    await b.idle();
    expect((await b.getAccessToken()).value).toBe(refreshed.value);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });
});

describe('upstream failing while the token is valid', () => {
  it('-1: callers keep the token, retries follow the backoff, calls stay bounded', async () => {
    // random() = 0: no jitter, backoff = half of 1 s, 2 s, 4 s ... (equal jitter lower bound).
    const provider = h.provider();
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();
    h.emulator.failNext(STABLE_TOKEN_API, 3);
    h.clock.set(first.expiresAt - 200 * SECOND);

    const served = async (): Promise<void> => {
      const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.getAccessToken()));
      expect(tokens.every((token) => token.value === first.value)).toBe(true);
      await provider.idle();
    };

    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    h.clock.advance(499);
    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    h.clock.advance(1);
    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    h.clock.advance(999);
    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    h.clock.advance(1);
    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    h.clock.advance(1999);
    await served();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    h.clock.advance(1);
    await provider.getAccessToken();
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    expect((await provider.getAccessToken()).value).not.toBe(first.value);
    const ledger = (await provider.status()).ledger;
    expect(ledger.failures).toEqual([{ errcode: -1, count: 3 }]);
    expect(ledger.tokenCalls).toEqual([
      { endpoint: STABLE_TOKEN_API, reason: 'ahead', count: 4 },
      { endpoint: STABLE_TOKEN_API, reason: 'cold', count: 1 },
    ]);
  });

  it('timeouts: a hung token endpoint costs one headersTimeout per attempt, callers never wait', async () => {
    await restartHarness({ http: { headersTimeoutMs: 150 } });
    const provider = h.provider();
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();
    h.emulator.hangNext(STABLE_TOKEN_API, 2);
    h.clock.set(first.expiresAt - 200 * SECOND);

    const started = performance.now();
    expect((await provider.getAccessToken()).value).toBe(first.value);
    expect(performance.now() - started).toBeLessThan(100);
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    h.clock.advance(400);
    expect((await provider.getAccessToken()).value).toBe(first.value);
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    h.clock.advance(100);
    expect((await provider.getAccessToken()).value).toBe(first.value);
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);

    h.clock.advance(1000);
    await provider.getAccessToken();
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    expect((await provider.getAccessToken()).value).not.toBe(first.value);
  });

  it('callers get an error only once no valid token is left, then fail fast until the backoff ends', async () => {
    const provider = h.provider();
    const first = await provider.getAccessToken();
    h.emulator.resetCalls();
    h.emulator.failNext(STABLE_TOKEN_API, 100);
    h.clock.set(first.expiresAt - 10 * SECOND);

    const error = await provider.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(error).toMatchObject({ reason: 'upstream-failing', errcode: -1, appName: 'official' });
    // Three quick attempts for a caller with nothing to serve, spaced by the injected sleep.
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    expect(h.sleeps).toEqual([100, 200]);

    const again = await provider.getAccessToken().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TokenUnavailableError);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);

    const retryAt = (error as TokenUnavailableError).retryAt ?? 0;
    expect(retryAt).toBe(h.clock.now() + 500);
    h.clock.set(retryAt);
    await expect(provider.getAccessToken()).rejects.toBeInstanceOf(TokenUnavailableError);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(6);
  });
});

describe('rejected tokens', () => {
  it('legacy: another environment takes a token; after 300 s our call gets 40001, one refresh, the call succeeds', async () => {
    const provider = h.provider({ app: officialApp('legacy') });
    const api = h.api(provider);
    const before = await provider.getAccessToken();
    await api.getUserInfo(h.follower(), 'zh_CN');
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);
    h.emulator.resetCalls();

    const users = await Promise.all(
      Array.from({ length: 30 }, () => api.getUserInfo(h.follower(), 'zh_CN')),
    );
    expect(users.every((user) => user.openid === h.follower())).toBe(true);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect((await provider.getAccessToken()).value).not.toBe(before.value);
    const status = await provider.status();
    expect(status.lastRefreshReason).toBe('rejected');
    expect(status.ledger.failures).toEqual([{ errcode: 40001, count: 1 }]);
    expect(status.ledger.tokenCalls).toContainEqual({
      endpoint: LEGACY_TOKEN_API,
      reason: 'rejected',
      count: 1,
    });
  });

  it('42001 after expireTokens: one refresh; a late rejection of the old token refreshes nothing', async () => {
    const provider = h.provider();
    const api = h.api(provider);
    const old = await provider.getAccessToken();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A call made with the old token whose answer arrives after the refresh below.
    const late = provider.withAccessToken(async (token) => {
      if (token !== old.value) return token;
      await gate;
      throw new WechatApiError(USER_INFO_API, 42001, 'access_token expired');
    });

    h.emulator.expireTokens(OFFICIAL.appId);
    h.emulator.resetCalls();
    await api.getUserInfo(h.follower(), 'zh_CN');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(USER_INFO_API)).toBe(2);
    const fresh = await provider.getAccessToken();

    release();
    expect(await late).toBe(fresh.value);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('retries once, never loops: a second rejection reaches the caller', async () => {
    const provider = h.provider();
    await provider.getAccessToken();
    h.emulator.resetCalls();
    let attempts = 0;
    const error = await provider
      .withAccessToken(async () => {
        attempts += 1;
        throw new WechatApiError(USER_INFO_API, 42001, 'access_token expired');
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ errcode: 42001 });
    expect(attempts).toBe(2);
  });

  it('other errcodes are not token problems: no refresh, no retry', async () => {
    const provider = h.provider();
    await provider.getAccessToken();
    h.emulator.resetCalls();
    let attempts = 0;
    await expect(
      provider.withAccessToken(async () => {
        attempts += 1;
        throw new WechatApiError(USER_INFO_API, 40003, 'invalid openid');
      }),
    ).rejects.toMatchObject({ errcode: 40003 });
    expect(attempts).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('stable: a token force-rotated elsewhere (40001) costs one normal-mode call', async () => {
    const provider = h.provider();
    const api = h.api(provider);
    await provider.getAccessToken();
    const rotated = h.emulator.forceRotateStable(OFFICIAL.appId);
    h.emulator.resetCalls();
    await Promise.all(Array.from({ length: 20 }, () => api.getUserInfo(h.follower(), 'zh_CN')));
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect((await provider.getAccessToken()).value).toBe(rotated);
  });
});

describe('lease', () => {
  it('a holder that crashed: its lease expires within the bounded wait and the waiter fetches', async () => {
    const app = officialApp();
    const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
    // Another instance took the lease with the fleet's default lifetime, then died.
    const { leaseTtlMs } = DEFAULT_TOKEN_PROVIDER_OPTIONS;
    expect(await h.store.setIfAbsent(keys.token.lease, 'crashed:1', leaseTtlMs)).toBe(true);
    const provider = h.provider({ sleepMovesClock: true });
    const started = h.clock.now();

    const token = await provider.getAccessToken();
    expect(token.value).not.toBe('');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    // It waited for the dead lease to expire, not for the whole bounded wait.
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(leaseTtlMs);
    expect(h.clock.now() - started).toBeLessThan(DEFAULT_TOKEN_PROVIDER_OPTIONS.leaseWaitMs);
    expect(await h.store.get(keys.token.lease)).toBeUndefined();
  });

  it('a live holder that keeps the lease past the wait still ends in lease-timeout', async () => {
    const app = officialApp();
    const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
    await h.store.setIfAbsent(keys.token.lease, 'busy:1', 60 * SECOND);
    const provider = h.provider({ sleepMovesClock: true });
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'lease-timeout' });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('a fetch ends before its lease: a hung token endpoint is aborted at the fetch deadline', async () => {
    // Without the deadline each attempt would wait out headersTimeout, three in a row.
    await restartHarness({ http: { headersTimeoutMs: 2 * SECOND } });
    const app = officialApp();
    const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
    const provider = h.provider({ options: { leaseTtlMs: 400, leaseWaitMs: 1_000 } });
    h.emulator.hangNext(STABLE_TOKEN_API, 3);

    const started = performance.now();
    const error = await provider.getAccessToken().catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(error).toMatchObject({ reason: 'upstream-failing' });
    expect(String(error)).toContain('(timeout)');
    // Aborted at 3/4 of the 400 ms lease, with no further attempt after the deadline.
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_000);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(await h.store.get(keys.token.lease)).toBeUndefined();
  });
});

describe('options', () => {
  it('rejects nonsense with a RangeError naming the option', () => {
    expect(() => h.provider({ options: { refreshAheadMs: -1 } })).toThrow(/refreshAheadMs/);
    expect(() => h.provider({ options: { leaseWaitMs: 0 } })).toThrow(RangeError);
    expect(() => h.provider({ options: { credentialCooldownMs: Number.NaN } })).toThrow(
      /credentialCooldownMs/,
    );
    expect(() => h.provider({ options: { refreshJitterMs: 0 } })).not.toThrow();
    // A wait shorter than the lease would fail callers while a crashed holder's lease lives on.
    expect(() => h.provider({ options: { leaseTtlMs: 10 * SECOND } })).toThrow(/leaseWaitMs/);
    expect(() =>
      h.provider({ options: { leaseTtlMs: 10 * SECOND, leaseWaitMs: 12 * SECOND } }),
    ).not.toThrow();
  });
});

describe('expiry', () => {
  it('a token is not handed out in its last 10 s; expiry comes from expires_in at receipt', async () => {
    const provider = h.provider({ options: { refreshAheadMs: 1 } });
    const first = await provider.getAccessToken();
    h.clock.set(first.expiresAt - 10 * SECOND - 1);
    expect((await provider.getAccessToken()).value).toBe(first.value);
    h.clock.advance(1);
    h.emulator.resetCalls();
    const next = await provider.getAccessToken();
    expect(next.value).not.toBe(first.value);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('a stable token picked up mid-life expires when WeChat says (remaining expires_in)', async () => {
    const first = await h.provider().getAccessToken();
    h.clock.advance(HOUR);
    // Another fleet (its own store) asks WeChat, which reports the remaining lifetime.
    const otherStore = await createTokenStore('memory', { clock: h.clock });
    const token = await h.provider({ store: otherStore }).getAccessToken();
    expect(token.value).toBe(first.value);
    expect(token.expiresAt).toBe(first.expiresAt);
    await otherStore.close();
  });
});
