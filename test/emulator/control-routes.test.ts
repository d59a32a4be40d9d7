/**
 * The standalone emulator's HTTP controls: login codes minted over HTTP work at WeChat's code
 * exchange endpoints, once; bad requests get a 400 that says why; the controls are not WeChat
 * endpoints (not counted, not faulted) and exist only when asked for.
 */
import { describe, expect, it } from 'vitest';
import { CONTROL_ROUTES } from '../../src/emulator/control-routes.js';
import { describeEmulator } from '../../src/emulator/standalone.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { JSCODE2SESSION_API, OAUTH_TOKEN_API } from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  send,
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

describe('emulator HTTP controls (loginCodeRoutes: true)', () => {
  const fx = useEmulator({ loginCodeRoutes: true });

  it('mints a web-OAuth code that /sns/oauth2/access_token accepts once', async () => {
    const res = await get(fx.emulator, CONTROL_ROUTES.oauthCode);
    const { code, openid } = expectMinted(res);
    expect(res.body).toMatchObject({ appid: OFFICIAL.appId, scope: 'snsapi_userinfo' });

    const exchanged = await exchangeOAuth(fx.emulator, code);
    expect(exchanged.body).toMatchObject({ openid, scope: 'snsapi_userinfo' });
    expectErrcode(await exchangeOAuth(fx.emulator, code), 40163);
  });

  it('mints a wx.login() code that /sns/jscode2session accepts once', async () => {
    const { code, openid } = expectMinted(await get(fx.emulator, CONTROL_ROUTES.jsCode));
    const session = await exchangeJsCode(fx.emulator, code);
    expect(session.body.openid).toBe(openid);
    expect(typeof session.body.session_key).toBe('string');
    expectErrcode(await exchangeJsCode(fx.emulator, code), 40163);
  });

  it('takes appid, scope and openid from the query, a JSON body or a form body', async () => {
    const follower = fx.emulator.followerOpenids(OFFICIAL.appId)[0] ?? '';
    const base = expectMinted(
      await get(fx.emulator, CONTROL_ROUTES.oauthCode, {
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

    const json = await send(fx.emulator, CONTROL_ROUTES.jsCode, {
      method: 'POST',
      body: JSON.stringify({ appid: MINI.appId, openid: 'oMiniUser0001' }),
      contentType: 'application/json',
    });
    expect(expectMinted(json).openid).toBe('oMiniUser0001');

    const form = await send(fx.emulator, CONTROL_ROUTES.oauthCode, {
      method: 'POST',
      body: 'scope=snsapi_base&openid=oFormUser0001',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.body).toMatchObject({ scope: 'snsapi_base', openid: 'oFormUser0001' });
  });

  it('answers a bad request with 400 and the reason', async () => {
    const cases: [string, Parameters<typeof send>[2], RegExp][] = [
      [CONTROL_ROUTES.oauthCode, { query: { scope: 'snsapi_login' } }, /scope/],
      [CONTROL_ROUTES.oauthCode, { query: { appid: MINI.appId } }, /official account/],
      [CONTROL_ROUTES.jsCode, { query: { appid: OFFICIAL.appId } }, /mini program/],
      [CONTROL_ROUTES.jsCode, { query: { appid: 'wxnosuchapp' } }, /no app wxnosuchapp/],
      [CONTROL_ROUTES.jsCode, { query: { openid: 'bad openid!' } }, /openid/],
      [
        CONTROL_ROUTES.jsCode,
        { method: 'POST', body: '{"appid":', contentType: 'application/json' },
        /neither JSON nor a form/,
      ],
      [
        CONTROL_ROUTES.jsCode,
        { method: 'POST', body: '[1]', contentType: 'application/json' },
        /JSON object/,
      ],
    ];
    for (const [path, init, reason] of cases) {
      const res = await send(fx.emulator, path, init);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toMatch(reason);
    }
  });

  it('refuses methods other than GET and POST', async () => {
    const res = await fetch(`${fx.emulator.url}${CONTROL_ROUTES.jsCode}`, { method: 'PUT' });
    expect(res.status).toBe(405);
  });

  it('is neither counted nor faulted', async () => {
    fx.emulator.failNext('*', 5);
    fx.emulator.resetNext('*', 5);
    expectMinted(await get(fx.emulator, CONTROL_ROUTES.oauthCode));
    expectMinted(await get(fx.emulator, CONTROL_ROUTES.jsCode));
    expect(fx.emulator.calls(CONTROL_ROUTES.oauthCode)).toBe(0);
    expect(fx.emulator.calls(CONTROL_ROUTES.jsCode)).toBe(0);
  });

  it('prints login-code commands in the start-up help that work as printed', async () => {
    const help = describeEmulator(fx.emulator);
    const urls = [...help.matchAll(/curl '([^']*\/emulator\/[^']*)'/g)].map((m) => m[1] ?? '');
    expect(urls).toEqual([
      `${fx.emulator.url}${CONTROL_ROUTES.oauthCode}?appid=${OFFICIAL.appId}&scope=snsapi_userinfo`,
      `${fx.emulator.url}${CONTROL_ROUTES.jsCode}?appid=${MINI.appId}`,
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

describe('emulator without loginCodeRoutes (the default: tests, sandbox mode)', () => {
  const fx = useEmulator();

  it('has no control routes: they are unknown paths, as on WeChat', async () => {
    const res = await get(fx.emulator, CONTROL_ROUTES.oauthCode);
    expect(res.status).toBe(404);
    expectErrcode({ ...res, status: 200 }, 40066);
  });
});
