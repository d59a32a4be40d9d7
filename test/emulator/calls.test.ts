import { describe, expect, it } from 'vitest';
import {
  MINI,
  OFFICIAL,
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
    await get(fx.emulator, '/cgi-bin/user/get', { access_token: official });
    await postJson(
      fx.emulator,
      '/cgi-bin/user/info/batchget',
      { access_token: official },
      { user_list: [] },
    );
    await get(fx.emulator, '/cgi-bin/user/get', { access_token: 'unknown' });

    expect(fx.emulator.calls('/cgi-bin/token')).toBe(3);
    expect(fx.emulator.calls('/cgi-bin/token', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/token', MINI.appId)).toBe(2);
    expect(fx.emulator.calls('/cgi-bin/stable_token', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/user/get')).toBe(2);
    expect(fx.emulator.calls('/cgi-bin/user/get', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/user/info/batchget', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/user/info')).toBe(0);
  });

  it('attribute sns calls to the app of the appid or of the user token', async () => {
    const { code, openid } = fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base' });
    const exchanged = await get(fx.emulator, '/sns/oauth2/access_token', {
      appid: OFFICIAL.appId,
      secret: OFFICIAL.appSecret,
      code,
      grant_type: 'authorization_code',
    });
    await get(fx.emulator, '/sns/auth', {
      access_token: String(exchanged.body.access_token),
      openid,
    });
    const js = fx.emulator.mintJsCode(MINI.appId);
    await get(fx.emulator, '/sns/jscode2session', {
      appid: MINI.appId,
      secret: MINI.appSecret,
      js_code: js.code,
      grant_type: 'authorization_code',
    });
    expect(fx.emulator.calls('/sns/oauth2/access_token', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/sns/auth', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/sns/jscode2session', MINI.appId)).toBe(1);
    expect(fx.emulator.calls('/sns/jscode2session', OFFICIAL.appId)).toBe(0);
  });

  it('count refused and unknown requests too, under the path received', async () => {
    await stableTokenResponse(fx.emulator, { ...OFFICIAL, appSecret: 'wrong' });
    await send(fx.emulator, '/cgi-bin/stable_token', { method: 'POST', body: 'appid=x' });
    await get(fx.emulator, '/cgi-bin/nope');
    expect(fx.emulator.calls('/cgi-bin/stable_token')).toBe(2);
    expect(fx.emulator.calls('/cgi-bin/stable_token', OFFICIAL.appId)).toBe(1);
    expect(fx.emulator.calls('/cgi-bin/nope')).toBe(1);
  });

  it('leave the controls out', async () => {
    fx.emulator.takeLegacyToken(OFFICIAL.appId);
    fx.emulator.forceRotateStable(OFFICIAL.appId);
    fx.emulator.expireTokens(OFFICIAL.appId);
    fx.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_userinfo' });
    fx.emulator.mintJsCode(MINI.appId);
    for (const path of [
      '/cgi-bin/token',
      '/cgi-bin/stable_token',
      '/sns/oauth2/access_token',
      '/sns/jscode2session',
    ]) {
      expect(fx.emulator.calls(path)).toBe(0);
    }
  });

  it('start again from zero after resetCalls()', async () => {
    await legacyToken(fx.emulator);
    fx.emulator.resetCalls();
    expect(fx.emulator.calls('/cgi-bin/token')).toBe(0);
    expect(fx.emulator.calls('/cgi-bin/token', OFFICIAL.appId)).toBe(0);
    await legacyToken(fx.emulator);
    expect(fx.emulator.calls('/cgi-bin/token', OFFICIAL.appId)).toBe(1);
  });
});
