import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { createEmulator } from '../../src/emulator/index.js';
import { OFFICIAL } from '../support/apps.js';
import {
  FOLLOWERS_API,
  LEGACY_TOKEN_API,
  SNS_AUTH_API,
  STABLE_TOKEN_API,
} from '../support/wechat-api.js';
import {
  RID,
  expectErrcode,
  get,
  legacyTokenResponse,
  stableToken,
  stableTokenResponse,
  useEmulator,
} from './helpers.js';

describe('failNext', () => {
  const fx = useEmulator({ legacyTokenDailyQuota: 1 });

  it('answers the next N requests of a path with -1 system error, then behaves again', async () => {
    fx.emulator.failNext(LEGACY_TOKEN_API, 2);
    for (let i = 0; i < 2; i++) {
      const res = await legacyTokenResponse(fx.emulator);
      expect(res.body).toEqual({
        errcode: -1,
        errmsg: expect.stringMatching(/^system error rid: /),
      });
      expect(res.status).toBe(200);
    }
    // The failures spent no quota (1 a day here) and issued no token.
    expect((await legacyTokenResponse(fx.emulator)).body.expires_in).toBe(7200);
    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(3);
  });

  it('takes a custom errcode and errmsg and leaves other paths alone', async () => {
    fx.emulator.failNext(STABLE_TOKEN_API, 1, {
      errcode: 40164,
      errmsg: 'invalid ip 10.0.0.1, not in whitelist',
    });
    expect((await legacyTokenResponse(fx.emulator)).body.errcode).toBeUndefined();
    const res = await stableTokenResponse(fx.emulator);
    expect(res.body.errmsg).toMatch(/^invalid ip 10\.0\.0\.1, not in whitelist rid: /);
    expectErrcode(res, 40164);
    expect((await stableTokenResponse(fx.emulator)).body.errcode).toBeUndefined();
  });

  it('words injected errcodes as WeChat does when no errmsg is given (§0.3)', async () => {
    const texts: [number, RegExp][] = [
      [40164, /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /],
      [40226, /^code blocked rid: /],
      [48006, /^forbid to clear quota because of reaching the limit rid: /],
      [50002, /^user limited rid: /],
      [50004, /^user not allow to use accesstoken, maybe for punishment rid: /],
    ];
    for (const [errcode, text] of texts) {
      fx.emulator.failNext(STABLE_TOKEN_API, 1, { errcode });
      const res = await stableTokenResponse(fx.emulator);
      expectErrcode(res, errcode);
      expect(res.body.errmsg).toMatch(text);
    }
  });

  it("applies '*' to any path, after the path's own failures", async () => {
    const token = await stableToken(fx.emulator);
    fx.emulator.failNext('*', 1, { errcode: 45011 });
    fx.emulator.failNext(FOLLOWERS_API, 1, { errcode: -1 });
    expectErrcode(await get(fx.emulator, FOLLOWERS_API, { access_token: token }), -1);
    expectErrcode(await get(fx.emulator, SNS_AUTH_API), 45011);
    expect((await get(fx.emulator, FOLLOWERS_API, { access_token: token })).body.total).toBe(300);
  });

  it('queues successive failNext calls for one path', async () => {
    fx.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: -1 });
    fx.emulator.failNext(STABLE_TOKEN_API, 2, { errcode: 45009 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await stableTokenResponse(fx.emulator)).body.errcode);
    expect(codes).toEqual([-1, 45009, 45009, undefined]);
  });

  it('rejects bad arguments', () => {
    expect(() => fx.emulator.failNext('cgi-bin/token', 1)).toThrow(RangeError);
    expect(() => fx.emulator.failNext(LEGACY_TOKEN_API, -1)).toThrow(RangeError);
    expect(() => fx.emulator.failNext(LEGACY_TOKEN_API, 1, { errcode: 0 })).toThrow(RangeError);
    expect(() => fx.emulator.setLatency(LEGACY_TOKEN_API, -5)).toThrow(RangeError);
    expect(() => fx.emulator.hangNext(LEGACY_TOKEN_API, 1.5)).toThrow(RangeError);
  });
});

describe('setLatency, hangNext, resetNext', () => {
  const fx = useEmulator();

  it('delays answers by real milliseconds until set back to 0', async () => {
    // Margins are wide on purpose: an undelayed loopback call takes a few ms, even on a busy CI box.
    const elapsed = async (call: () => Promise<unknown>): Promise<number> => {
      const startedAt = performance.now();
      await call();
      return performance.now() - startedAt;
    };
    fx.emulator.setLatency(STABLE_TOKEN_API, 250);
    expect(await elapsed(() => stableTokenResponse(fx.emulator))).toBeGreaterThanOrEqual(245);
    expect(await elapsed(() => legacyTokenResponse(fx.emulator))).toBeLessThan(200);

    fx.emulator.setLatency(STABLE_TOKEN_API, 0);
    expect(await elapsed(() => stableTokenResponse(fx.emulator))).toBeLessThan(200);

    fx.emulator.setLatency('*', 120);
    expect(await elapsed(() => legacyTokenResponse(fx.emulator))).toBeGreaterThanOrEqual(115);
  });

  it('never answers a hung request, then answers the next one', async () => {
    fx.emulator.hangNext(STABLE_TOKEN_API);
    // The client gives up; the emulator would have kept the request open until close().
    const hung = request(`${fx.emulator.url}/cgi-bin/stable_token`, {
      method: 'POST',
      signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await stableTokenResponse(fx.emulator)).body.expires_in).toBe(7200);
    expect(fx.emulator.calls(STABLE_TOKEN_API)).toBe(2);
  });

  it('hangs as many requests as asked', async () => {
    fx.emulator.hangNext('*', 2);
    const attempts = [0, 1, 2].map(() =>
      request(`${fx.emulator.url}/cgi-bin/token`, { signal: AbortSignal.timeout(100) }).then(
        async (res): Promise<unknown> => res.body.json(),
        (error: unknown) => error,
      ),
    );
    const outcomes = await Promise.all(attempts);
    const timedOut = outcomes.filter((outcome) => outcome instanceof Error).length;
    expect(timedOut).toBe(2);
  });

  it('destroys the connection of a reset request without an answer', async () => {
    fx.emulator.resetNext(LEGACY_TOKEN_API);
    await expect(
      request(`${fx.emulator.url}/cgi-bin/token?grant_type=client_credential`),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) });
    expect((await legacyTokenResponse(fx.emulator)).body.expires_in).toBe(7200);
  });

  it('counts faulted requests as received', async () => {
    fx.emulator.resetNext(LEGACY_TOKEN_API);
    fx.emulator.failNext(LEGACY_TOKEN_API, 1);
    await request(`${fx.emulator.url}/cgi-bin/token`).catch(() => undefined);
    await legacyTokenResponse(fx.emulator);
    await legacyTokenResponse(fx.emulator);
    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(3);
    expect(fx.emulator.calls(LEGACY_TOKEN_API, OFFICIAL.appId)).toBe(2);
  });
});

describe('close', () => {
  it('ends hung and delayed requests and resolves', async () => {
    const emulator = await createEmulator({ clock: createManualClock() });
    emulator.hangNext(LEGACY_TOKEN_API);
    emulator.setLatency(STABLE_TOKEN_API, 60_000);
    const hung = request(`${emulator.url}/cgi-bin/token`).then(
      () => 'answered',
      () => 'closed',
    );
    const slow = request(`${emulator.url}/cgi-bin/stable_token`, { method: 'POST' }).then(
      () => 'answered',
      () => 'closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const startedAt = performance.now();
    await emulator.close();
    expect(await Promise.all([hung, slow])).toEqual(['closed', 'closed']);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    // Closing twice is harmless.
    await emulator.close();
  });
});

describe('errmsg of injected failures', () => {
  const fx = useEmulator();
  it('carries a rid like every other error', async () => {
    fx.emulator.failNext('*', 1);
    expect((await get(fx.emulator, '/anything')).body.errmsg).toMatch(RID);
  });
});
