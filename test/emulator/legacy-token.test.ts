import { describe, expect, it } from 'vitest';
import { nextWechatDayStart } from '../../src/shared/clock.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API } from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  legacyToken,
  legacyTokenResponse,
  tokenVerdict,
  useEmulator,
} from './helpers.js';

describe('GET /cgi-bin/token (legacy)', () => {
  const fx = useEmulator({ legacyTokenDailyQuota: 3 });

  it('issues a WeChat-looking token valid for 7200 s, without errcode', async () => {
    const res = await legacyTokenResponse(fx.emulator);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in']);
    expect(res.body.expires_in).toBe(7200);
    expect(res.body.access_token).toMatch(/^\d+_[A-Za-z0-9_-]{100,}$/);
  });

  it('issues a new token on every call', async () => {
    const first = await legacyToken(fx.emulator);
    const second = await legacyToken(fx.emulator);
    expect(second).not.toBe(first);
    expect(await tokenVerdict(fx.emulator, second)).toBe('ok');
  });

  it('keeps the previous token valid for 300 s after a rotation, then answers 40001', async () => {
    const old = await legacyToken(fx.emulator);
    fx.clock.advance(1000 * SECOND);
    const current = await legacyToken(fx.emulator);
    fx.clock.advance(299 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe('ok');
    fx.clock.advance(2 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe(40001);
    expect(await tokenVerdict(fx.emulator, current)).toBe('ok');
  });

  it('ends the grace at the old token’s own expiry when that comes first', async () => {
    const old = await legacyToken(fx.emulator);
    fx.clock.advance(7000 * SECOND);
    await legacyToken(fx.emulator);
    fx.clock.advance(199 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe('ok');
    fx.clock.advance(1 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe(42001);
  });

  it('invalidates a token at once when it is superseded twice', async () => {
    const first = await legacyToken(fx.emulator);
    const second = await legacyToken(fx.emulator);
    await legacyToken(fx.emulator);
    expect(await tokenVerdict(fx.emulator, first)).toBe(40001);
    expect(await tokenVerdict(fx.emulator, second)).toBe('ok');
  });

  it('answers 42001 once a token is 7200 s old', async () => {
    const token = await legacyToken(fx.emulator);
    fx.clock.advance(7199 * SECOND);
    expect(await tokenVerdict(fx.emulator, token)).toBe('ok');
    fx.clock.advance(1 * SECOND);
    expect(await tokenVerdict(fx.emulator, token)).toBe(42001);
  });

  it('allows the daily quota, then 45009 with the stable-token hint until the next WeChat day', async () => {
    for (let i = 0; i < 3; i++)
      expect((await legacyTokenResponse(fx.emulator)).body.errcode).toBeUndefined();
    const refused = await legacyTokenResponse(fx.emulator);
    expectErrcode(refused, 45009);
    expect(refused.body.errmsg).toMatch(
      /^reach max api daily quota limit, could get access_token by getStableAccessToken/,
    );

    // Beijing midnight is 16:00 UTC: one second before, still refused; at midnight, allowed.
    const midnight = nextWechatDayStart(fx.clock.now());
    expect(new Date(midnight).toISOString()).toBe('2026-01-15T16:00:00.000Z');
    fx.clock.set(midnight - SECOND);
    expectErrcode(await legacyTokenResponse(fx.emulator), 45009);
    fx.clock.set(midnight);
    expect((await legacyTokenResponse(fx.emulator)).body.access_token).toEqual(expect.any(String));
  });

  it('does not rotate the token when the quota refuses', async () => {
    let token = '';
    for (let i = 0; i < 3; i++) token = await legacyToken(fx.emulator);
    expectErrcode(await legacyTokenResponse(fx.emulator), 45009);
    fx.clock.advance(600 * SECOND);
    expect(await tokenVerdict(fx.emulator, token)).toBe('ok');
  });

  it('counts the quota per app', async () => {
    for (let i = 0; i < 3; i++) await legacyToken(fx.emulator, OFFICIAL);
    expectErrcode(await legacyTokenResponse(fx.emulator, OFFICIAL), 45009);
    expect((await legacyTokenResponse(fx.emulator, MINI)).body.errcode).toBeUndefined();
  });

  it('does not spend quota on refused credentials', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await get(fx.emulator, LEGACY_TOKEN_API, {
        grant_type: 'client_credential',
        appid: OFFICIAL.appId,
        secret: 'wrong',
      });
      expectErrcode(res, 40125);
    }
    for (let i = 0; i < 3; i++)
      expect((await legacyTokenResponse(fx.emulator)).body.errcode).toBeUndefined();
  });

  it.each([
    [
      'wrong grant_type',
      { grant_type: 'authorization_code', appid: OFFICIAL.appId, secret: OFFICIAL.appSecret },
      40002,
    ],
    ['missing grant_type', { appid: OFFICIAL.appId, secret: OFFICIAL.appSecret }, 40002],
    [
      'unknown appid',
      { grant_type: 'client_credential', appid: 'wx0000000000000bad', secret: OFFICIAL.appSecret },
      40013,
    ],
    [
      'wrong secret',
      { grant_type: 'client_credential', appid: OFFICIAL.appId, secret: MINI.appSecret },
      40125,
    ],
    ['missing appid', { grant_type: 'client_credential', secret: OFFICIAL.appSecret }, 41002],
    [
      'empty appid',
      { grant_type: 'client_credential', appid: '', secret: OFFICIAL.appSecret },
      41002,
    ],
    ['missing secret', { grant_type: 'client_credential', appid: OFFICIAL.appId }, 41004],
  ])('answers %s with the matching errcode', async (_name, query, errcode) => {
    expectErrcode(await get(fx.emulator, LEGACY_TOKEN_API, query), errcode);
  });
});

describe('legacy token quota default', () => {
  const fx = useEmulator();

  it('is 2000 calls a day (other environments included)', async () => {
    for (let i = 0; i < 1999; i++) fx.emulator.takeLegacyToken(OFFICIAL.appId);
    expect((await legacyTokenResponse(fx.emulator)).body.errcode).toBeUndefined();
    expectErrcode(await legacyTokenResponse(fx.emulator), 45009);
    expect(() => fx.emulator.takeLegacyToken(OFFICIAL.appId)).toThrow(/45009/);
  });
});
