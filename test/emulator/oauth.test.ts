import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND, DAY } from '../support/time.js';
import {
  OAUTH_REFRESH_API,
  OAUTH_TOKEN_API,
  SNS_AUTH_API,
  SNS_USERINFO_API,
  USER_INFO_API,
} from '../support/wechat-api.js';
import { expectErrcode, get, stableToken, stringField, useEmulator } from './helpers.js';

function exchange(emulator: Emulator, code: string, overrides: Record<string, string> = {}) {
  return get(emulator, OAUTH_TOKEN_API, {
    appid: OFFICIAL.appId,
    secret: OFFICIAL.appSecret,
    code,
    grant_type: 'authorization_code',
    ...overrides,
  });
}

async function login(
  emulator: Emulator,
  scope: 'snsapi_base' | 'snsapi_userinfo',
  openid?: string,
) {
  const minted = emulator.mintOAuthCode(OFFICIAL.appId, { scope, openid });
  const res = await exchange(emulator, minted.code);
  return {
    openid: minted.openid,
    accessToken: stringField(res, 'access_token'),
    refreshToken: stringField(res, 'refresh_token'),
  };
}

function refresh(emulator: Emulator, refreshToken: string, overrides: Record<string, string> = {}) {
  return get(emulator, OAUTH_REFRESH_API, {
    appid: OFFICIAL.appId,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...overrides,
  });
}

describe('GET /sns/oauth2/access_token', () => {
  const fx = useEmulator();

  it('exchanges a snsapi_base code for the user’s openid and tokens, without unionid', async () => {
    const openid = fx.emulator.followerOpenids(OFFICIAL.appId)[0];
    const { code } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base', openid });
    const res = await exchange(fx.emulator, code);
    expect(res.contentType).toBe('text/plain');
    expect(res.body).toStrictEqual({
      access_token: expect.stringMatching(/^\d+_[A-Za-z0-9_-]{20,}$/),
      expires_in: 7200,
      refresh_token: expect.stringMatching(/^\d+_[A-Za-z0-9_-]{20,}$/),
      openid,
      scope: 'snsapi_base',
    });
  });

  it('adds the unionid for snsapi_userinfo when the user has one', async () => {
    const records = fx.emulator.followerOpenids(OFFICIAL.appId).slice(0, 20);
    const token = await stableToken(fx.emulator);
    let withUnionid = 0;
    for (const openid of records) {
      const info = await get(fx.emulator, USER_INFO_API, { access_token: token, openid });
      const { code } = fx.emulator.mintOAuthCode(OFFICIAL.appId, {
        scope: 'snsapi_userinfo',
        openid,
      });
      const res = await exchange(fx.emulator, code);
      expect(res.body.scope).toBe('snsapi_userinfo');
      expect(res.body.unionid).toBe(info.body.unionid);
      if (info.body.unionid !== undefined) withUnionid += 1;
    }
    expect(withUnionid).toBeGreaterThan(0);
  });

  it('accepts a code once: the second exchange answers 40163', async () => {
    const { code } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    expect((await exchange(fx.emulator, code)).body.errcode).toBeUndefined();
    const reused = await exchange(fx.emulator, code);
    expectErrcode(reused, 40163);
    expect(reused.body.errmsg).toMatch(/^code been used rid:/);
    expect(reused.contentType).toBe('text/plain');
  });

  it('expires an unused code after 5 minutes (40029)', async () => {
    const early = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    const late = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    fx.clock.advance(299 * SECOND);
    expect((await exchange(fx.emulator, early.code)).body.openid).toBe(early.openid);
    fx.clock.advance(1 * SECOND);
    expectErrcode(await exchange(fx.emulator, late.code), 40029);
  });

  it('answers 40029 for an unknown code or another app’s code', async () => {
    expectErrcode(await exchange(fx.emulator, '061NoSuchCode0000000000000000000'), 40029);
  });

  it('does not spend the code when the credentials are refused', async () => {
    const { code, openid } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    expectErrcode(await exchange(fx.emulator, code, { secret: 'wrong' }), 40125);
    expectErrcode(await exchange(fx.emulator, code, { appid: 'wx0000000000000bad' }), 40013);
    expectErrcode(await exchange(fx.emulator, code, { grant_type: 'client_credential' }), 40002);
    expect((await exchange(fx.emulator, code)).body.openid).toBe(openid);
  });

  it.each([
    ['appid', 41002],
    ['secret', 41004],
    ['code', 41008],
  ])('answers a missing %s with %i', async (name, errcode) => {
    const { code } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    expectErrcode(await exchange(fx.emulator, code, { [name]: '' }), errcode);
  });
});

describe('mintOAuthCode control', () => {
  const fx = useEmulator();

  it('creates a non-follower for an unknown or omitted openid', async () => {
    const named = fx.emulator.mintOAuthCode(OFFICIAL.appId, {
      scope: 'snsapi_base',
      openid: 'visitor-openid-1',
    });
    const anonymous = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_userinfo' });
    expect(named.openid).toBe('visitor-openid-1');
    expect(anonymous.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(fx.emulator.followerOpenids(OFFICIAL.appId)).not.toContain(anonymous.openid);
    const token = await stableToken(fx.emulator);
    for (const openid of [named.openid, anonymous.openid]) {
      const info = await get(fx.emulator, USER_INFO_API, { access_token: token, openid });
      expect(info.body).toMatchObject({ subscribe: 0, openid, tagid_list: [] });
    }
    expect(fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' }).openid).not.toBe(
      anonymous.openid,
    );
  });

  it('rejects mini programs, unknown apps and unusable openids', () => {
    expect(() => fx.emulator.mintOAuthCode(MINI.appId, { scope: 'snsapi_base' })).toThrow(
      /official account/,
    );
    expect(() => fx.emulator.mintOAuthCode('wx-nope', { scope: 'snsapi_base' })).toThrow(/no app/);
    expect(() =>
      fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base', openid: 'a b' }),
    ).toThrow(/openid/);
  });
});

describe('GET /sns/userinfo and /sns/auth', () => {
  const fx = useEmulator();

  it('returns the profile for a snsapi_userinfo token, gender and region emptied', async () => {
    const { openid, accessToken } = await login(fx.emulator, 'snsapi_userinfo');
    const res = await get(fx.emulator, SNS_USERINFO_API, {
      access_token: accessToken,
      openid,
      lang: 'en',
    });
    expect(res.contentType).toBe('text/plain');
    expect(res.body).toMatchObject({
      openid,
      nickname: expect.any(String),
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: expect.any(String),
      privilege: [],
    });
    expect(res.body).not.toHaveProperty('errcode');
  });

  it('answers 48001 for a snsapi_base token', async () => {
    const { openid, accessToken } = await login(fx.emulator, 'snsapi_base');
    expectErrcode(
      await get(fx.emulator, SNS_USERINFO_API, { access_token: accessToken, openid }),
      48001,
    );
  });

  it('answers 40003 when the openid is not the token’s user', async () => {
    const { accessToken } = await login(fx.emulator, 'snsapi_userinfo');
    const other = fx.emulator.followerOpenids(OFFICIAL.appId)[0] ?? '';
    expectErrcode(
      await get(fx.emulator, SNS_USERINFO_API, { access_token: accessToken, openid: other }),
      40003,
    );
    expectErrcode(
      await get(fx.emulator, SNS_AUTH_API, { access_token: accessToken, openid: other }),
      40003,
    );
  });

  it('answers 42001 once the user token is 7200 s old', async () => {
    const { openid, accessToken } = await login(fx.emulator, 'snsapi_userinfo');
    fx.clock.advance(7199 * SECOND);
    expect(
      (await get(fx.emulator, SNS_AUTH_API, { access_token: accessToken, openid })).body,
    ).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    fx.clock.advance(1 * SECOND);
    expectErrcode(
      await get(fx.emulator, SNS_USERINFO_API, { access_token: accessToken, openid }),
      42001,
    );
    expectErrcode(
      await get(fx.emulator, SNS_AUTH_API, { access_token: accessToken, openid }),
      42001,
    );
  });

  it('answers 40001 for an unknown token, 40014 for a malformed one, 41001 for none, 41009 without openid', async () => {
    const { openid, accessToken } = await login(fx.emulator, 'snsapi_userinfo');
    const cgiToken = await stableToken(fx.emulator);
    for (const path of [SNS_USERINFO_API, SNS_AUTH_API]) {
      expectErrcode(await get(fx.emulator, path, { access_token: cgiToken, openid }), 40001);
      expectErrcode(await get(fx.emulator, path, { access_token: 'garbage', openid }), 40014);
      expectErrcode(await get(fx.emulator, path, { openid }), 41001);
      expectErrcode(await get(fx.emulator, path, { access_token: accessToken }), 41009);
    }
  });

  it('keeps user tokens working when the app’s cgi-bin token rotates', async () => {
    const { openid, accessToken } = await login(fx.emulator, 'snsapi_userinfo');
    fx.emulator.forceRotateStable(OFFICIAL.appId);
    fx.emulator.expireTokens(OFFICIAL.appId);
    expect(
      (await get(fx.emulator, SNS_USERINFO_API, { access_token: accessToken, openid })).body.openid,
    ).toBe(openid);
  });
});

describe('GET /sns/oauth2/refresh_token', () => {
  const fx = useEmulator();

  it('extends a live access token in place', async () => {
    const { openid, accessToken, refreshToken } = await login(fx.emulator, 'snsapi_userinfo');
    fx.clock.advance(7000 * SECOND);
    const res = await refresh(fx.emulator, refreshToken);
    expect(res.body).toStrictEqual({
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: refreshToken,
      openid,
      scope: 'snsapi_userinfo',
    });
    fx.clock.advance(7000 * SECOND);
    expect(
      (await get(fx.emulator, SNS_USERINFO_API, { access_token: accessToken, openid })).body.openid,
    ).toBe(openid);
  });

  it('issues a new access token once the old one expired', async () => {
    const { openid, accessToken, refreshToken } = await login(fx.emulator, 'snsapi_base');
    fx.clock.advance(7200 * SECOND);
    const res = await refresh(fx.emulator, refreshToken);
    const renewed = stringField(res, 'access_token');
    expect(renewed).not.toBe(accessToken);
    expect(res.body).toMatchObject({ refresh_token: refreshToken, openid, scope: 'snsapi_base' });
    expect(
      (await get(fx.emulator, SNS_AUTH_API, { access_token: renewed, openid })).body.errcode,
    ).toBe(0);
  });

  it('honours a refresh token for 30 days, then answers 42002', async () => {
    const { refreshToken } = await login(fx.emulator, 'snsapi_base');
    fx.clock.advance(30 * DAY - SECOND);
    expect((await refresh(fx.emulator, refreshToken)).body.errcode).toBeUndefined();
    fx.clock.advance(1 * SECOND);
    expectErrcode(await refresh(fx.emulator, refreshToken), 42002);
  });

  it('answers 40030 for an unknown refresh token and for an access token passed instead', async () => {
    const { accessToken } = await login(fx.emulator, 'snsapi_base');
    expectErrcode(await refresh(fx.emulator, `86_${'x'.repeat(104)}`), 40030);
    expectErrcode(await refresh(fx.emulator, accessToken), 40030);
  });

  it.each([
    ['a missing appid', { appid: '' }, 41002],
    ['a wrong grant_type', { grant_type: 'authorization_code' }, 40002],
    ['a missing refresh_token', { refresh_token: '' }, 41003],
    ['an unknown appid', { appid: 'wx0000000000000bad' }, 40013],
    ['another app', { appid: MINI.appId }, 40030],
  ])('answers %s with the matching errcode', async (_name, overrides, errcode) => {
    const { refreshToken } = await login(fx.emulator, 'snsapi_base');
    expectErrcode(await refresh(fx.emulator, refreshToken, overrides), errcode);
  });
});
