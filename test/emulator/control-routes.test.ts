/**
 * The emulator's HTTP controls for what a WeChat client hands out: login and phone codes minted
 * over HTTP work at WeChat's endpoints, once; a consent lets one subscribe message through; the
 * first names of the login-code routes still work; bad requests get a 400 that says why; the
 * controls are not WeChat endpoints (not counted, not faulted) and exist only when asked for.
 */
import { describe, expect, it } from 'vitest';
import { CONTROL_ALIASES, CONTROL_PATHS } from '../../src/emulator/index.js';
import { describeEmulator } from '../../src/emulator/standalone.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import {
  JSCODE2SESSION_API,
  OAUTH_TOKEN_API,
  PHONE_NUMBER_API,
  SUBSCRIBE_SEND_API,
} from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  postJson,
  send,
  stableToken,
  stringField,
  useEmulator,
  type Target,
  type WireResponse,
} from './helpers.js';

function exchangeOAuth(target: Target, code: string, app = OFFICIAL) {
  return get(target, OAUTH_TOKEN_API, {
    appid: app.appId,
    secret: app.appSecret,
    code,
    grant_type: 'authorization_code',
  });
}

function exchangeJsCode(target: Target, code: string, app = MINI) {
  return get(target, JSCODE2SESSION_API, {
    appid: app.appId,
    secret: app.appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  });
}

function expectMinted(res: WireResponse): { code: string; openid: string } {
  expect(res.status, res.text).toBe(200);
  expect(res.contentType).toBe('application/json; charset=utf-8');
  expect(res.body.expiresInSeconds).toBe(300);
  return { code: stringField(res, 'code'), openid: stringField(res, 'openid') };
}

describe('emulator HTTP controls for codes (controls: true)', () => {
  const fx = useEmulator({ controls: true });

  it('mints a web-OAuth code that /sns/oauth2/access_token accepts once', async () => {
    const res = await get(fx.emulator, CONTROL_PATHS.oauthCode);
    const { code, openid } = expectMinted(res);
    expect(res.body).toMatchObject({ appid: OFFICIAL.appId, scope: 'snsapi_userinfo' });

    const exchanged = await exchangeOAuth(fx.emulator, code);
    expect(exchanged.body).toMatchObject({ openid, scope: 'snsapi_userinfo' });
    expectErrcode(await exchangeOAuth(fx.emulator, code), 40163);
  });

  it('mints a wx.login() code that /sns/jscode2session accepts once', async () => {
    const { code, openid } = expectMinted(await get(fx.emulator, CONTROL_PATHS.jsCode));
    const session = await exchangeJsCode(fx.emulator, code);
    expect(session.body.openid).toBe(openid);
    expect(typeof session.body.session_key).toBe('string');
    expectErrcode(await exchangeJsCode(fx.emulator, code), 40163);
  });

  it('takes appid, scope and openid from the query, a JSON body or a form body', async () => {
    const follower = fx.emulator.followerOpenids(OFFICIAL.appId)[0] ?? '';
    const base = expectMinted(
      await get(fx.emulator, CONTROL_PATHS.oauthCode, {
        appid: OFFICIAL.appId,
        scope: 'snsapi_base',
        openid: follower,
      }),
    );
    expect(base.openid).toBe(follower);
    expect((await exchangeOAuth(fx.emulator, base.code)).body).toMatchObject({
      openid: follower,
      scope: 'snsapi_base',
    });

    const json = await send(fx.emulator, CONTROL_PATHS.jsCode, {
      method: 'POST',
      body: JSON.stringify({ appid: MINI.appId, openid: 'oMiniUser0001' }),
      contentType: 'application/json',
    });
    expect(expectMinted(json).openid).toBe('oMiniUser0001');

    const form = await send(fx.emulator, CONTROL_PATHS.oauthCode, {
      method: 'POST',
      body: 'scope=snsapi_base&openid=oFormUser0001',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.body).toMatchObject({ scope: 'snsapi_base', openid: 'oFormUser0001' });
  });

  it('still answers at the login-code routes’ first names (/emulator/…)', async () => {
    expect([...CONTROL_ALIASES]).toEqual([
      ['/emulator/oauth-code', CONTROL_PATHS.oauthCode],
      ['/emulator/js-code', CONTROL_PATHS.jsCode],
    ]);
    const oauth = expectMinted(await get(fx.emulator, '/emulator/oauth-code'));
    expect((await exchangeOAuth(fx.emulator, oauth.code)).body.openid).toBe(oauth.openid);
    const js = expectMinted(await get(fx.emulator, '/emulator/js-code'));
    expect((await exchangeJsCode(fx.emulator, js.code)).body.openid).toBe(js.openid);
  });

  it('mints a phone-number code that getuserphonenumber accepts once', async () => {
    const { openid } = fx.emulator.mintJsCode(MINI.appId);
    const res = await send(fx.emulator, CONTROL_PATHS.phoneCode, {
      method: 'POST',
      body: JSON.stringify({ openid, phoneNumber: '13700002222' }),
      contentType: 'application/json',
    });
    const { code } = expectMinted(res);
    expect(res.body).toMatchObject({ appid: MINI.appId, openid, purePhoneNumber: '13700002222' });
    const token = await stableToken(fx.emulator, MINI);
    const exchange = () =>
      postJson(fx.emulator, PHONE_NUMBER_API, { access_token: token }, { code, openid });
    expect((await exchange()).body).toMatchObject({
      errcode: 0,
      phone_info: { purePhoneNumber: '13700002222', countryCode: '86' },
    });
    expectErrcode(await exchange(), 40029);
  });

  it('grants subscribe consents, one message each, numbers from a query or a body', async () => {
    const { openid } = fx.emulator.mintJsCode(MINI.appId);
    const templateId = 'subsMpOrderStatus0000000000000000000000000004';
    const granted = await send(fx.emulator, CONTROL_PATHS.subscribeConsent, {
      method: 'POST',
      body: JSON.stringify({ appid: MINI.appId, openid, templateId, count: 1 }),
      contentType: 'application/json',
    });
    expect(granted.body).toEqual({ appid: MINI.appId, openid, templateId, consents: 1 });
    const again = await get(fx.emulator, CONTROL_PATHS.subscribeConsent, {
      appid: MINI.appId,
      openid,
      templateId,
      count: '2',
    });
    expect(again.body.consents).toBe(3);
    const token = await stableToken(fx.emulator, MINI);
    const sent = await postJson(
      fx.emulator,
      SUBSCRIBE_SEND_API,
      { access_token: token },
      {
        touser: openid,
        template_id: templateId,
        data: {
          character_string1: { value: 'A1' },
          thing2: { value: '已发货' },
          amount3: { value: '¥9.90' },
          time4: { value: '10:30' },
        },
      },
    );
    expect(sent.body.errcode).toBe(0);
    const unknown = await get(fx.emulator, CONTROL_PATHS.subscribeConsent, {
      appid: MINI.appId,
      openid,
      templateId: 'nope',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/no subscribe template nope/);
  });

  it('answers a bad request with 400 and the reason', async () => {
    const cases: [string, Parameters<typeof send>[2], RegExp][] = [
      [CONTROL_PATHS.oauthCode, { query: { scope: 'snsapi_login' } }, /scope/],
      [CONTROL_PATHS.oauthCode, { query: { appid: MINI.appId } }, /official account/],
      [CONTROL_PATHS.jsCode, { query: { appid: OFFICIAL.appId } }, /mini program/],
      [CONTROL_PATHS.jsCode, { query: { appid: 'wxnosuchapp' } }, /no app wxnosuchapp/],
      [CONTROL_PATHS.jsCode, { query: { openid: 'bad openid!' } }, /openid/],
      [
        CONTROL_PATHS.jsCode,
        { method: 'POST', body: '{"appid":', contentType: 'application/json' },
        /neither JSON nor a form/,
      ],
      [
        CONTROL_PATHS.jsCode,
        { method: 'POST', body: '[1]', contentType: 'application/json' },
        /JSON object/,
      ],
      [
        CONTROL_PATHS.jsCode,
        { method: 'POST', body: '{"openid":{}}', contentType: 'application/json' },
        /"openid" must be a string/,
      ],
      [CONTROL_PATHS.phoneCode, { query: { phoneNumber: '12' } }, /phoneNumber/],
      [CONTROL_PATHS.subscribeConsent, { query: { appid: MINI.appId } }, /"openid"/],
    ];
    for (const [path, init, reason] of cases) {
      const res = await send(fx.emulator, path, init);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toMatch(reason);
    }
  });

  it('refuses methods other than GET and POST', async () => {
    const res = await fetch(`${fx.emulator.url}${CONTROL_PATHS.jsCode}`, { method: 'PUT' });
    expect(res.status).toBe(405);
  });

  it('is neither counted nor faulted', async () => {
    fx.emulator.failNext('*', 5);
    fx.emulator.resetNext('*', 5);
    expectMinted(await get(fx.emulator, CONTROL_PATHS.oauthCode));
    expectMinted(await get(fx.emulator, CONTROL_PATHS.jsCode));
    expect(fx.emulator.calls(CONTROL_PATHS.oauthCode)).toBe(0);
    expect(fx.emulator.calls(CONTROL_PATHS.jsCode)).toBe(0);
  });

  it('prints login-code commands in the start-up help that work as printed', async () => {
    const help = describeEmulator(fx.emulator, { controls: true });
    const urls = [...help.matchAll(/curl '([^']*\/__emulator\/[^']*-code[^']*)'/g)].map(
      (m) => m[1] ?? '',
    );
    expect(urls).toEqual([
      `${fx.emulator.url}${CONTROL_PATHS.oauthCode}?appid=${OFFICIAL.appId}&scope=snsapi_userinfo`,
      `${fx.emulator.url}${CONTROL_PATHS.jsCode}?appid=${MINI.appId}`,
      `${fx.emulator.url}${CONTROL_PATHS.phoneCode}?appid=${MINI.appId}`,
    ]);
    const [oauthUrl, jsUrl] = urls.map((url) => new URL(url));
    if (!oauthUrl || !jsUrl) throw new Error(`no login-code commands in:\n${help}`);
    const oauth = expectMinted(
      await get(fx.emulator, oauthUrl.pathname, Object.fromEntries(oauthUrl.searchParams)),
    );
    expect((await exchangeOAuth(fx.emulator, oauth.code)).body.openid).toBe(oauth.openid);
    const js = expectMinted(
      await get(fx.emulator, jsUrl.pathname, Object.fromEntries(jsUrl.searchParams)),
    );
    expect((await exchangeJsCode(fx.emulator, js.code)).body.openid).toBe(js.openid);
  });
});

describe('emulator without controls (the default: tests, sandbox mode)', () => {
  const fx = useEmulator();

  it('has no control routes: they are unknown paths, as on WeChat', async () => {
    const res = await get(fx.emulator, CONTROL_PATHS.oauthCode);
    expect(res.status).toBe(404);
    expectErrcode({ ...res, status: 200 }, 40066);
  });
});
