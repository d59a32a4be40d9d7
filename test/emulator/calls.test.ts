import { describe, expect, it } from 'vitest';
import { MINI, OFFICIAL } from '../support/apps.js';
import {
  BATCHGET_API,
  FOLLOWERS_API,
  JSCODE2SESSION_API,
  LEGACY_TOKEN_API,
  OAUTH_TOKEN_API,
  SNS_AUTH_API,
  STABLE_TOKEN_API,
  USER_INFO_API,
} from '../support/wechat-api.js';
import {
  get,
  legacyToken,
  postJson,
  send,
  stableToken,
  stableTokenResponse,
  useEmulator,
} from './helpers.js';

describe('calls() counters', () => {
  const fx = useEmulator();

  it('count requests per path, and per app where the request names one', async () => {
    await legacyToken(fx.emulator, OFFICIAL);
    await legacyToken(fx.emulator, MINI);
    await legacyToken(fx.emulator, MINI);
    const official = await stableToken(fx.emulator, OFFICIAL);
    await get(fx.emulator, FOLLOWERS_API, { access_token: official });
    await postJson(fx.emulator, BATCHGET_API, { access_token: official }, { user_list: [] });
    await get(fx.emulator, FOLLOWERS_API, { access_token: 'unknown' });

    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(3);
    expect(fx.emulator.calls(LEGACY_TOKEN_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(LEGACY_TOKEN_API, MINI.appId)).toBe(2);
    expect(fx.emulator.calls(STABLE_TOKEN_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(FOLLOWERS_API)).toBe(2);
    expect(fx.emulator.calls(FOLLOWERS_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(BATCHGET_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(USER_INFO_API)).toBe(0);
  });

  it('attribute sns calls to the app of the appid or of the user token', async () => {
    const { code, openid } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    const exchanged = await get(fx.emulator, OAUTH_TOKEN_API, {
      appid: OFFICIAL.appId,
      secret: OFFICIAL.appSecret,
      code,
      grant_type: 'authorization_code',
    });
    await get(fx.emulator, SNS_AUTH_API, {
      access_token: String(exchanged.body.access_token),
      openid,
    });
    const js = fx.emulator.mintJsCode(MINI.appId);
    await get(fx.emulator, JSCODE2SESSION_API, {
      appid: MINI.appId,
      secret: MINI.appSecret,
      js_code: js.code,
      grant_type: 'authorization_code',
    });
    expect(fx.emulator.calls(OAUTH_TOKEN_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(SNS_AUTH_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls(JSCODE2SESSION_API, MINI.appId)).toBe(1);
    expect(fx.emulator.calls(JSCODE2SESSION_API, OFFICIAL.appId)).toBe(0);
  });

  it('count refused and unknown requests too, under the path received', async () => {
    await stableTokenResponse(fx.emulator, { ...OFFICIAL, appSecret: 'wrong' });
    await send(fx.emulator, STABLE_TOKEN_API, { method: 'POST', body: 'appid=x' });
    await get(fx.emulator, '/cgi-bin/nope');
    expect(fx.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    expect(fx.emulator.calls(STABLE_TOKEN_API, OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/nope')).toBe(1);
  });

  it('leave the controls out', async () => {
    fx.emulator.takeLegacyToken(OFFICIAL.appId);
    fx.emulator.forceRotateStable(OFFICIAL.appId);
    fx.emulator.expireTokens(OFFICIAL.appId);
    fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_userinfo' });
    fx.emulator.mintJsCode(MINI.appId);
    for (const path of [LEGACY_TOKEN_API, STABLE_TOKEN_API, OAUTH_TOKEN_API, JSCODE2SESSION_API]) {
      expect(fx.emulator.calls(path)).toBe(0);
    }
  });

  it('start again from zero after resetCalls()', async () => {
    await legacyToken(fx.emulator);
    fx.emulator.resetCalls();
    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(0);
    expect(fx.emulator.calls(LEGACY_TOKEN_API, OFFICIAL.appId)).toBe(0);
    await legacyToken(fx.emulator);
    expect(fx.emulator.calls(LEGACY_TOKEN_API, OFFICIAL.appId)).toBe(1);
  });
});
