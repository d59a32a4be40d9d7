/**
 * Sessions: login with a web-OAuth or wx.login() code, `me`, `logout`; what the token carries;
 * tampered, expired, wrong-app and logged-out tokens; secret and key rotation; the mini program
 * session_key kept in the store and nowhere else.
 */
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSessionTokenCodec, sessionKeyId } from '../../src/auth/session-token.js';
import { sessionStoreKeys } from '../../src/auth/store-keys.js';
import {
  codesOf,
  SERVICE_KEY,
  SESSION_SECRET,
  useGateway,
  type Gateway,
} from '../support/harness.js';
import { LOGIN, loginMini, loginOfficial } from '../support/sessions.js';
import { BATCHGET_API, JSCODE2SESSION_API, OAUTH_TOKEN_API } from '../support/wechat-api.js';
import { DAY, SECOND } from '../support/time.js';

const ME = '{ me { app openid unionid user { openid subscribed } } }';
const INVALID = /^The Authorization header does not hold a valid credential/;

async function me(gw: Pick<Gateway, 'query'>, token: string) {
  return gw.query<{ me: { app: string; openid: string; user: unknown } }>(ME, {
    as: { token },
  });
}

function expectRefused(res: { status: number; body: { errors?: unknown[] } }): void {
  expect(res.status).toBe(401);
  expect(res.body).not.toHaveProperty('data');
  expect(res.body.errors).toEqual([
    { message: expect.stringMatching(INVALID), extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

/** What WeChat holds as this mini program user's session_key (asked with a second code). */
async function wechatSessionKey(gw: Gateway, openid: string): Promise<string> {
  const app = gw.emulator.apps.find((candidate) => candidate.appId === gw.mini.appId);
  const { code } = gw.emulator.mintJsCode(gw.mini.appId, { openid });
  const query = new URLSearchParams({
    appid: gw.mini.appId,
    secret: app?.appSecret ?? '',
    js_code: code,
    grant_type: 'authorization_code',
  });
  const res = await fetch(`${gw.emulator.url}${JSCODE2SESSION_API}?${query}`);
  const body = (await res.json()) as { session_key?: string };
  if (!body.session_key) throw new Error('the emulator gave no session_key');
  return body.session_key;
}

describe('login and me', () => {
  const fx = useGateway();

  it('opens a session for an official account user and shows their WechatUser', async () => {
    const openid = fx.gw.emulator.followerOpenids(fx.gw.official.appId)[1] ?? '';
    const { code } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, {
      scope: 'snsapi_userinfo',
      openid,
    });
    const res = await fx.gw.query(
      `mutation { login(code: "${code}") {
        token expiresAt openid unionid scope profile { nickname }
      } }`,
      { as: 'anonymous' },
    );
    expect(res.body).toEqual({
      data: {
        login: {
          token: expect.any(String),
          expiresAt: new Date(fx.gw.clock.now() + DAY).toISOString(),
          openid,
          unionid: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
          scope: 'snsapi_userinfo',
          profile: { nickname: expect.any(String) },
        },
      },
    });
    const login = res.body.data?.['login'] as { token: string; unionid: string | null };
    const viewer = await me(fx.gw, login.token);
    expect(viewer.body).toEqual({
      data: {
        me: { app: 'official', openid, unionid: login.unionid, user: { openid, subscribed: true } },
      },
    });
    expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(1);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1);
  });

  it('opens a session for a mini program user, whose `user` is null', async () => {
    const login = await loginMini(fx.gw);
    const viewer = await me(fx.gw, login.token);
    expect(viewer.body).toEqual({
      data: { me: { app: 'miniprogram', openid: login.openid, unionid: null, user: null } },
    });
  });

  it('issues a token that carries the app, the openid, an id and the expiry, nothing secret', async () => {
    const login = await loginOfficial(fx.gw);
    const claims = decodeJwt(login.token);
    expect(Object.keys(claims).sort()).toEqual(
      ['app', 'aud', 'exp', 'iat', 'iss', 'jti', 'sub', ...('uid' in claims ? ['uid'] : [])].sort(),
    );
    expect(claims).toMatchObject({
      app: 'official',
      aud: fx.gw.official.appId,
      sub: login.openid,
      exp: Date.parse(login.expiresAt) / 1000,
    });
    expect(decodeProtectedHeader(login.token).alg).toBe('HS256');
    expect(login.token).not.toContain(SESSION_SECRET);
  });

  it('refuses a code WeChat refuses, and opens no session', async () => {
    const res = await fx.gw.query(LOGIN, {
      as: 'anonymous',
      variables: { code: 'not-a-code-wechat-issued' },
    });
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.data).toBeNull();
  });
});

describe('sessions that must not work', () => {
  const fx = useGateway();

  it('refuses a tampered token: another openid, a changed signature, alg none', async () => {
    const login = await loginOfficial(fx.gw);
    const [header = '', payload = '', signature = ''] = login.token.split('.');
    const claims = decodeJwt(login.token);
    const otherOpenid = fx.gw.emulator.followerOpenids(fx.gw.official.appId)[5];
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: otherOpenid })).toString(
      'base64url',
    );
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    for (const token of [
      `${header}.${forgedPayload}.${signature}`,
      `${header}.${payload}.${flipped}`,
      none,
    ]) {
      expectRefused(await me(fx.gw, token));
    }
    // The genuine token still works.
    expect((await me(fx.gw, login.token)).body.data?.me.openid).toBe(login.openid);
  });

  it('refuses a token signed with a secret the server does not have', async () => {
    const codec = createSessionTokenCodec({
      secrets: ['another-secret-of-at-least-32-characters!'],
      ttlMs: DAY,
      clock: fx.gw.clock,
    });
    const { token } = await codec.sign({
      app: 'official',
      appId: fx.gw.official.appId,
      openid: fx.gw.emulator.followerOpenids(fx.gw.official.appId)[0] ?? '',
      unionid: null,
    });
    expectRefused(await me(fx.gw, token));
  });

  it('refuses an expired session, moving the clock', async () => {
    const login = await loginOfficial(fx.gw);
    fx.gw.clock.advance(DAY - SECOND);
    expect((await me(fx.gw, login.token)).status).toBe(200);
    fx.gw.clock.advance(SECOND);
    expectRefused(await me(fx.gw, login.token));
  });

  it('refuses a session of one app for another app', async () => {
    const mini = await loginMini(fx.gw);
    const asked = await fx.gw.query('{ me(app: "official") { openid } }', {
      as: { token: mini.token },
    });
    expect(asked.status).toBe(403);
    expect(asked.body.errors).toEqual([
      {
        message: 'This session belongs to app "miniprogram"; "me" was asked for app "official".',
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
    const own = await fx.gw.query('{ me(app: "miniprogram") { openid } }', {
      as: { token: mini.token },
    });
    expect(own.body).toEqual({ data: { me: { openid: mini.openid } } });
  });

  it('refuses a session made for an app of the same name but another appId, or an unknown app', async () => {
    const codec = createSessionTokenCodec({
      secrets: [SESSION_SECRET],
      ttlMs: DAY,
      clock: fx.gw.clock,
    });
    for (const [app, appId] of [
      ['official', 'wx0000000000000999'],
      ['shop', fx.gw.official.appId],
    ] as const) {
      const { token } = await codec.sign({ app, appId, openid: 'o-someone', unionid: null });
      expectRefused(await me(fx.gw, token));
    }
  });

  it('refuses a logged-out session, for me and a second logout, and logs in again', async () => {
    const login = await loginOfficial(fx.gw);
    const res = await fx.gw.query('mutation { logout }', { as: { token: login.token } });
    expect(res.body).toEqual({ data: { logout: true } });
    expectRefused(await me(fx.gw, login.token));
    expectRefused(await fx.gw.query('mutation { logout }', { as: { token: login.token } }));
    const again = await loginOfficial(fx.gw);
    expect((await me(fx.gw, again.token)).body.data?.me.openid).toBe(again.openid);
  });

  it('refuses a logged-out session even on public fields: it is not anonymous', async () => {
    const login = await loginOfficial(fx.gw);
    await fx.gw.query('mutation { logout }', { as: { token: login.token } });
    const res = await fx.gw.query('{ jsapiConfig(url: "https://a.example.com/") { url } }', {
      as: { token: login.token },
    });
    expectRefused(res);
  });
});

describe('rotation', () => {
  const OLD_SECRET = 'old-session-secret-0123456789abcdef-0123';
  const NEW_SECRET = 'new-session-secret-0123456789abcdef-0123';
  const OLD_KEY = 'old-service-key-0123456789';
  const NEW_KEY = 'new-service-key-0123456789';
  const fx = useGateway({
    access: { sessionSecrets: [OLD_SECRET], serviceApiKeys: [OLD_KEY] },
  });

  it('accepts sessions signed with any listed secret and signs new ones with the first', async () => {
    const old = await loginOfficial(fx.gw);
    const rotating = fx.gw.instance({ sessionSecrets: [NEW_SECRET, OLD_SECRET] });
    expect((await me(rotating, old.token)).body.data?.me.openid).toBe(old.openid);

    const fresh = await loginOfficial(fx.gw, { via: rotating });
    expect(decodeProtectedHeader(fresh.token).kid).not.toBe(decodeProtectedHeader(old.token).kid);
    expect((await me(rotating, fresh.token)).status).toBe(200);
    // Not yet rotated: does not know the new secret.
    expectRefused(await me(fx.gw, fresh.token));
    // Rotation finished: the old secret is gone, and so are its sessions.
    const rotated = fx.gw.instance({ sessionSecrets: [NEW_SECRET] });
    expect((await me(rotated, fresh.token)).status).toBe(200);
    expectRefused(await me(rotated, old.token));
  });

  it('accepts every listed service key during a rotation, and only those', async () => {
    const query = '{ followers(first: 1) { totalCount } }';
    const rotating = fx.gw.instance({ serviceApiKeys: [OLD_KEY, NEW_KEY] });
    for (const key of [OLD_KEY, NEW_KEY]) {
      const res = await rotating.query(query, { headers: { authorization: `Bearer ${key}` } });
      expect(res.body).toEqual({ data: { followers: { totalCount: 300 } } });
    }
    const rotated = fx.gw.instance({ serviceApiKeys: [NEW_KEY] });
    const old = await rotated.query(query, { headers: { authorization: `Bearer ${OLD_KEY}` } });
    expect(codesOf(old.body)).toEqual(['UNAUTHENTICATED']);
    const unlisted = await rotating.query(query, {
      headers: { authorization: `Bearer ${SERVICE_KEY}` },
    });
    expect(codesOf(unlisted.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the mini program session_key', () => {
  const fx = useGateway();

  it('is in the store for the session, and in no response and no log line', async () => {
    const { code, openid } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    const login = await fx.gw.query(
      `mutation { login(code: "${code}", app: "miniprogram") { token expiresAt openid unionid scope profile { nickname } } }`,
      { as: 'anonymous' },
    );
    const token = (login.body.data?.['login'] as { token: string }).token;
    const viewer = await me(fx.gw, token);
    const sessionKey = await wechatSessionKey(fx.gw, openid);

    const stored = await fx.gw.store.get(sessionStoreKeys(String(decodeJwt(token).jti)).sessionKey);
    expect(JSON.parse(stored?.value ?? '{}')).toEqual({ openid, sessionKey });
    expect(stored?.ttlMs).toBe(DAY);
    for (const text of [login.text, viewer.text, token, fx.gw.logs.join('\n')]) {
      expect(text).not.toContain(sessionKey);
    }
    expect(fx.gw.logs.join('\n')).not.toContain(token);
    expect(fx.gw.logs.join('\n')).not.toContain(code);
  });

  it('is deleted at logout', async () => {
    const login = await loginMini(fx.gw);
    const key = sessionStoreKeys(String(decodeJwt(login.token).jti)).sessionKey;
    expect(await fx.gw.store.get(key)).toBeDefined();
    await fx.gw.query('mutation { logout }', { as: { token: login.token } });
    expect(await fx.gw.store.get(key)).toBeUndefined();
  });

  it('expires with the session', async () => {
    const login = await loginMini(fx.gw);
    const key = sessionStoreKeys(String(decodeJwt(login.token).jti)).sessionKey;
    fx.gw.clock.advance(DAY - SECOND);
    expect(await fx.gw.store.get(key)).toBeDefined();
    fx.gw.clock.advance(SECOND);
    expect(await fx.gw.store.get(key)).toBeUndefined();
  });

  it('is not kept by openid(code), which opens no session', async () => {
    const { code, openid } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    const res = await fx.gw.query(`{ openid(code: "${code}", app: "miniprogram") { openid } }`);
    expect(res.body).toEqual({ data: { openid: { openid } } });
    expect(res.text).not.toContain(await wechatSessionKey(fx.gw, openid));
  });
});

describe('a forged token with a valid signature but no expiry', () => {
  const fx = useGateway();

  it('is refused: every session ends', async () => {
    const token = await new SignJWT({ app: 'official' })
      .setProtectedHeader({ alg: 'HS256', kid: sessionKeyId(SESSION_SECRET) })
      .setIssuer('wechat-graphql-gateway')
      .setIssuedAt(Math.floor(fx.gw.clock.now() / 1000))
      .setSubject('o-someone')
      .setAudience(fx.gw.official.appId)
      .setJti('j')
      .sign(Buffer.from(SESSION_SECRET));
    expectRefused(await me(fx.gw, token));
  });
});
