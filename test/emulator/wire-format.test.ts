import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { MINI, OFFICIAL } from '../support/apps.js';
import {
  BATCHGET_API,
  FOLLOWERS_API,
  JSCODE2SESSION_API,
  LEGACY_TOKEN_API,
  STABLE_TOKEN_API,
  USER_INFO_API,
} from '../support/wechat-api.js';
import {
  RID,
  expectErrcode,
  get,
  legacyTokenResponse,
  send,
  stableToken,
  useEmulator,
} from './helpers.js';

const CGI_JSON = 'application/json; encoding=utf-8';

describe('wire format', () => {
  const fx = useEmulator();

  it('serves /cgi-bin as application/json; encoding=utf-8, success and error alike', async () => {
    const ok = await legacyTokenResponse(fx.emulator);
    expect([ok.status, ok.contentType]).toEqual([200, CGI_JSON]);
    const error = await get(fx.emulator, USER_INFO_API, { access_token: 'nope' });
    expect([error.status, error.contentType]).toEqual([200, CGI_JSON]);
  });

  it('serves /sns as text/plain although the body is JSON, success and error alike', async () => {
    const { code } = fx.emulator.mintJsCode(MINI.appId);
    const query = {
      appid: MINI.appId,
      secret: MINI.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    };
    const ok = await get(fx.emulator, JSCODE2SESSION_API, query);
    expect([ok.status, ok.contentType, typeof ok.body.openid]).toEqual([
      200,
      'text/plain',
      'string',
    ]);
    const error = await get(fx.emulator, JSCODE2SESSION_API, query);
    expect([error.status, error.contentType, error.body.errcode]).toEqual([
      200,
      'text/plain',
      40163,
    ]);
  });

  it('answers errors with HTTP 200 and errmsg ending in a rid', async () => {
    const res = await get(fx.emulator, LEGACY_TOKEN_API, {
      grant_type: 'client_credential',
      appid: OFFICIAL.appId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errcode: 41004, errmsg: expect.stringMatching(RID) });
    expect(String(res.body.errmsg)).toMatch(/^appsecret missing rid: /);
  });

  it('makes every rid different and starts it with the clock’s unix time in hex', async () => {
    const rids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await get(fx.emulator, FOLLOWERS_API, { access_token: 'nope' });
      rids.add(String(res.body.errmsg).slice(-26));
    }
    expect(rids.size).toBe(20);
    const seconds = Math.floor(fx.clock.now() / 1000)
      .toString(16)
      .padStart(8, '0');
    for (const rid of rids) expect(rid.slice(0, 8)).toBe(seconds);
  });

  it('answers an unknown path with HTTP 404 and a WeChat-style 40066 body', async () => {
    const res = await get(fx.emulator, '/cgi-bin/no/such/api', {
      access_token: await stableToken(fx.emulator),
    });
    expect([res.status, res.contentType]).toEqual([404, CGI_JSON]);
    expect(res.body).toEqual({
      errcode: 40066,
      errmsg: expect.stringMatching(/^invalid url.*\/cgi-bin\/no\/such\/api rid: /),
    });
  });

  it('answers 43002 when a POST-only API gets another method', async () => {
    for (const path of [STABLE_TOKEN_API, BATCHGET_API]) {
      expectErrcode(await get(fx.emulator, path), 43002);
    }
  });

  it('answers a body over 1 MiB with 47001', async () => {
    const res = await send(fx.emulator, BATCHGET_API, {
      method: 'POST',
      query: { access_token: await stableToken(fx.emulator) },
      body: JSON.stringify({ user_list: [{ openid: 'x'.repeat(1100 * 1024) }] }),
      contentType: 'application/json',
    });
    expectErrcode(res, 47001);
  });

  it('keeps connections alive and sends Content-Length', async () => {
    const res = await request(`${fx.emulator.url}/cgi-bin/user/get?access_token=x`);
    const body = await res.body.text();
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(res.headers.connection).toBe('keep-alive');
  });
});
