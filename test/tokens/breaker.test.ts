import { describe, expect, it } from 'vitest';
import { nextWechatDayStart } from '../../src/shared/clock.js';
import { appKeys } from '../../src/tokens/keys.js';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { officialApp } from '../support/apps.js';
import { DAY, MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));

async function failure(promise: Promise<unknown>): Promise<TokenUnavailableError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof TokenUnavailableError))
    throw new Error(`expected TokenUnavailableError, got ${String(error)}`);
  return error;
}

describe('credential errors', () => {
  it('40125 opens the breaker: no token call during the cool-down, for any instance', async () => {
    const a = h.provider({ instanceId: 'a' });
    const b = h.provider({ instanceId: 'b' });
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40125, errmsg: 'invalid appsecret' });

    const error = await failure(a.getAccessToken());
    expect(error).toMatchObject({ reason: 'breaker-open', errcode: 40125, appName: 'official' });
    expect(error.retryAt).toBe(h.clock.now() + MINUTE);
    expect(error.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    for (let i = 0; i < 5; i += 1) {
      h.clock.advance(10 * SECOND);
      await expect(a.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
      await expect(b.getAccessToken()).rejects.toMatchObject({
        reason: 'breaker-open',
        errcode: 40125,
      });
    }
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    const status = await b.status();
    expect(status.breaker).toMatchObject({ open: true, errcode: 40125 });
    expect(status.breaker.reason).toContain('invalid appsecret');
    expect(status.breaker.until).toBe(error.retryAt);
    expect(status.ledger.failures).toEqual([{ errcode: 40125, count: 1 }]);

    h.clock.advance(10 * SECOND);
    const token = await b.getAccessToken();
    expect(token.value).not.toBe('');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    expect((await a.status()).breaker.open).toBe(false);
  });

  it.each([40013, 40164, 40243, 41002, 41004])('%i opens the breaker too', async (errcode) => {
    const provider = h.provider({ options: { credentialCooldownMs: 5 * MINUTE } });
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode, errmsg: 'no' });
    const error = await failure(provider.getAccessToken());
    expect(error).toMatchObject({ reason: 'breaker-open', errcode });
    expect(error.retryAt).toBe(h.clock.now() + 5 * MINUTE);
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('a real wrong secret (emulator answers 40125) opens it the same way', async () => {
    const provider = h.provider({ app: { ...officialApp(), appSecret: 'not-the-secret' } });
    await expect(provider.getAccessToken()).rejects.toMatchObject({
      reason: 'breaker-open',
      errcode: 40125,
    });
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('while a token is still valid the breaker only stops the refresh: callers are served', async () => {
    const provider = h.provider();
    const token = await provider.getAccessToken();
    h.emulator.resetCalls();
    h.clock.set(token.expiresAt - 200 * SECOND);
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40164, errmsg: 'invalid ip' });
    expect((await provider.getAccessToken()).value).toBe(token.value);
    await provider.idle();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    for (let i = 0; i < 10; i += 1) {
      h.clock.advance(5 * SECOND);
      expect((await provider.getAccessToken()).value).toBe(token.value);
      await provider.idle();
    }
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect((await provider.status()).breaker.open).toBe(true);
  });
});

describe('daily quota (45009)', () => {
  it('stays open until the next WeChat day boundary (00:00 UTC+8)', async () => {
    const provider = h.provider({ app: officialApp('legacy') });
    h.emulator.failNext(LEGACY_TOKEN_API, 1, {
      errcode: 45009,
      errmsg: 'reach max api daily quota limit',
    });
    const error = await failure(provider.getAccessToken());
    const boundary = nextWechatDayStart(h.clock.now());
    expect(error).toMatchObject({ reason: 'breaker-open', errcode: 45009, retryAt: boundary });
    expect(error.message).toContain(new Date(boundary).toISOString());

    h.clock.set(boundary - 1);
    await expect(provider.getAccessToken()).rejects.toMatchObject({ errcode: 45009 });
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    h.clock.set(boundary);
    await provider.getAccessToken();
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(2);
  });

  it('an admin reset closes it at once, for every instance sharing the store', async () => {
    const a = h.provider({ instanceId: 'a' });
    const b = h.provider({ instanceId: 'b' });
    h.emulator.failNext(STABLE_TOKEN_API, 1, {
      errcode: 45009,
      errmsg: 'reach max api daily quota limit',
    });
    await expect(a.getAccessToken()).rejects.toMatchObject({ errcode: 45009 });
    h.clock.advance(MINUTE);
    await expect(b.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    await a.resetBreaker();
    expect((await b.status()).breaker.open).toBe(false);
    await b.getAccessToken();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    expect(h.logs.text()).toContain('circuit breaker reset by an admin');
  });
});

describe('a breaker key without a TTL (edited by hand)', () => {
  it('stays open with no known end until an admin resets it', async () => {
    const provider = h.provider();
    const app = officialApp();
    const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
    await h.store.set(
      keys.breaker,
      JSON.stringify({ errcode: 40164, reason: 'paused by hand', rid: null, openedAt: 1 }),
    );

    const error = await failure(provider.getAccessToken());
    expect(error).toMatchObject({ reason: 'breaker-open', errcode: 40164, retryAt: undefined });
    expect(error.message).toContain('until an admin resets the breaker');
    h.clock.advance(DAY);
    await expect(provider.getAccessToken()).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
    expect((await provider.status()).breaker).toMatchObject({ open: true, until: null });

    await provider.resetBreaker();
    await provider.getAccessToken();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });
});

describe('per-minute limit (45011)', () => {
  it('waits for the next minute, without a breaker', async () => {
    const provider = h.provider();
    h.clock.set(Math.floor(h.clock.now() / MINUTE) * MINUTE + 20 * SECOND);
    h.emulator.failNext(STABLE_TOKEN_API, 1, {
      errcode: 45011,
      errmsg: 'api minute-quota reach limit, must slower, retry next minute',
    });
    const error = await failure(provider.getAccessToken());
    const nextMinute = Math.floor(h.clock.now() / MINUTE) * MINUTE + MINUTE;
    expect(error).toMatchObject({
      reason: 'upstream-failing',
      errcode: 45011,
      retryAt: nextMinute,
    });
    h.clock.set(nextMinute - 1);
    await expect(provider.getAccessToken()).rejects.toMatchObject({ errcode: 45011 });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    h.clock.set(nextMinute);
    await provider.getAccessToken();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    expect((await provider.status()).breaker.open).toBe(false);
  });
});
