import { describe, expect, it } from 'vitest';
import { codesOf, useGateway } from '../support/harness.js';
import { JSCODE2SESSION_API, OAUTH_TOKEN_API, SNS_USERINFO_API } from '../support/wechat-api.js';

const FULL = `query ($code: String!, $app: String) {
  openid(code: $code, app: $app) {
    openid unionid scope
    profile { nickname avatarUrl privilege }
  }
}`;

describe('openid(code) for an official account (web OAuth)', () => {
  const fx = useGateway();

  it('returns the profile for an snsapi_userinfo grant, with one /sns/userinfo call', async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const { code } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, {
      scope: 'snsapi_userinfo',
      openid,
    });
    const res = await fx.gw.query(FULL, { variables: { code } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      openid: {
        openid,
        unionid: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
        scope: 'snsapi_userinfo',
        profile: {
          nickname: expect.any(String),
          avatarUrl: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
          privilege: expect.any(Array),
        },
      },
    });
    expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(1);
    expect(fx.gw.emulator.calls(SNS_USERINFO_API)).toBe(1);
    // The user's OAuth token stays on the server.
    expect(res.text).not.toMatch(/access_?token|refresh/i);
  });

  it('does not call /sns/userinfo when profile is not selected', async () => {
    const { code, openid } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, {
      scope: 'snsapi_userinfo',
    });
    const res = await fx.gw.query(`{ openid(code: "${code}") { openid scope } }`);
    expect(res.body).toEqual({ data: { openid: { openid, scope: 'snsapi_userinfo' } } });
    expect(fx.gw.emulator.calls(SNS_USERINFO_API)).toBe(0);
  });

  it('returns profile: null for an snsapi_base grant without calling /sns/userinfo', async () => {
    const { code, openid } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, {
      scope: 'snsapi_base',
    });
    const res = await fx.gw.query(FULL, { variables: { code } });
    expect(res.body).toEqual({
      data: { openid: { openid, unionid: null, scope: 'snsapi_base', profile: null } },
    });
    expect(fx.gw.emulator.calls(SNS_USERINFO_API)).toBe(0);
  });

  it('maps a used code to 40163 and an unknown code to 40029 (BAD_USER_INPUT)', async () => {
    const { code } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, { scope: 'snsapi_base' });
    await fx.gw.query(`{ openid(code: "${code}") { openid } }`);
    const reused = await fx.gw.query(`{ openid(code: "${code}") { openid } }`);
    expect(reused.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40163, rid: expect.any(String) },
    });
    const unknown = await fx.gw.query('{ openid(code: "no-such-code") { openid } }');
    expect(unknown.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40029, rid: expect.any(String) },
    });
    // Codes are secrets: never echoed back.
    expect(reused.text).not.toContain(code);
    expect(unknown.text).not.toContain('no-such-code');
  });

  it.each(['', 'has space', 'x'.repeat(513)])(
    'rejects the code %j without calling WeChat',
    async (code) => {
      const res = await fx.gw.query(FULL, { variables: { code } });
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
      expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(0);
    },
  );
});

describe('openid(code) for a mini program (jscode2session)', () => {
  const fx = useGateway();

  it('returns the openid, never the session_key, and has no profile', async () => {
    const { code, openid } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    const res = await fx.gw.query(FULL, { variables: { code, app: 'miniprogram' } });
    expect(res.body).toEqual({
      data: {
        openid: {
          openid,
          unionid: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
          scope: null,
          profile: null,
        },
      },
    });
    expect(fx.gw.emulator.calls(JSCODE2SESSION_API)).toBe(1);
    expect(fx.gw.emulator.calls(SNS_USERINFO_API)).toBe(0);

    // Learn this user's session_key the way the server sees it, then look for it everywhere.
    const again = fx.gw.emulator.mintJsCode(fx.gw.mini.appId, { openid });
    const session = await fx.gw.mini.api.code2Session(again.code);
    expect(session.session_key.length).toBeGreaterThan(0);
    expect(res.text).not.toContain(session.session_key);
    expect(res.text).not.toMatch(/session/i);
    expect(fx.gw.logs.join('\n')).not.toContain(session.session_key);
  });

  it('maps a used js_code to 40163', async () => {
    const { code } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    await fx.gw.query(FULL, { variables: { code, app: 'miniprogram' } });
    const reused = await fx.gw.query(FULL, { variables: { code, app: 'miniprogram' } });
    expect(reused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40163 },
    });
  });

  it('does not accept an official-account OAuth code for the mini program', async () => {
    const { code } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, { scope: 'snsapi_base' });
    const res = await fx.gw.query(FULL, { variables: { code, app: 'miniprogram' } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40029 },
    });
  });
});
