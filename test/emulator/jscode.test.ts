import { describe, expect, it } from 'vitest';
import type { Emulator, EmulatorApp } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND, MINUTE } from '../support/time.js';
import { JSCODE2SESSION_API, OAUTH_TOKEN_API } from '../support/wechat-api.js';
import { expectErrcode, get, useEmulator } from './helpers.js';

const SECOND_MINI: EmulatorApp = {
  appId: 'wx00000000000000f6',
  appSecret: 'mini-two-secret',
  kind: 'miniprogram',
};
const SECOND_OFFICIAL: EmulatorApp = {
  appId: 'wx00000000000000a7',
  appSecret: 'official-two-secret',
  kind: 'official',
  followers: 3,
};

function code2Session(
  emulator: Emulator,
  jsCode: string,
  overrides: Record<string, string> = {},
  app = MINI,
) {
  return get(emulator, JSCODE2SESSION_API, {
    appid: app.appId,
    secret: app.appSecret,
    js_code: jsCode,
    grant_type: 'authorization_code',
    ...overrides,
  });
}

describe('GET /sns/jscode2session', () => {
  const fx = useEmulator({ apps: [OFFICIAL, MINI, SECOND_MINI, SECOND_OFFICIAL] });

  it('exchanges a wx.login() code for openid and session_key, without errcode', async () => {
    const { code, openid } = fx.emulator.mintJsCode(MINI.appId);
    const res = await code2Session(fx.emulator, code);
    expect(res.contentType).toBe('text/plain');
    expect(res.body).toMatchObject({ openid, session_key: expect.any(String) });
    expect(Buffer.from(String(res.body.session_key), 'base64')).toHaveLength(16);
    expect(
      Object.keys(res.body).every((key) => ['openid', 'session_key', 'unionid'].includes(key)),
    ).toBe(true);
  });

  it('returns the unionid for some users and keeps one session_key per user', async () => {
    let unionids = 0;
    for (let i = 0; i < 10; i++) {
      const first = fx.emulator.mintJsCode(MINI.appId, { openid: `mini-user-${i}` });
      const second = fx.emulator.mintJsCode(MINI.appId, { openid: `mini-user-${i}` });
      const a = await code2Session(fx.emulator, first.code);
      const b = await code2Session(fx.emulator, second.code);
      expect(a.body.openid).toBe(`mini-user-${i}`);
      expect(b.body).toEqual(a.body);
      if (typeof a.body.unionid === 'string') unionids += 1;
    }
    expect(unionids).toBeGreaterThan(0);
    expect(unionids).toBeLessThan(10);
  });

  it('accepts a code once (40163), for 5 minutes (40029)', async () => {
    const used = fx.emulator.mintJsCode(MINI.appId);
    const late = fx.emulator.mintJsCode(MINI.appId);
    fx.clock.advance(299 * SECOND);
    expect((await code2Session(fx.emulator, used.code)).body.openid).toBe(used.openid);
    expectErrcode(await code2Session(fx.emulator, used.code), 40163);
    fx.clock.advance(1 * SECOND);
    expectErrcode(await code2Session(fx.emulator, late.code), 40029);
  });

  it('answers 40029 for an unknown code and for another mini program’s code', async () => {
    expectErrcode(await code2Session(fx.emulator, '0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d'), 40029);
    const foreign = fx.emulator.mintJsCode(SECOND_MINI.appId);
    expectErrcode(await code2Session(fx.emulator, foreign.code), 40029);
    expect((await code2Session(fx.emulator, foreign.code, {}, SECOND_MINI)).body.openid).toBe(
      foreign.openid,
    );
  });

  it('allows 100 calls a minute per user, then 45011 until the next minute', async () => {
    fx.clock.set(Math.ceil(fx.clock.now() / MINUTE) * MINUTE);
    for (let i = 0; i < 100; i++) {
      const { code } = fx.emulator.mintJsCode(MINI.appId, { openid: 'busy-user' });
      expect((await code2Session(fx.emulator, code)).body.openid).toBe('busy-user');
    }
    const over = fx.emulator.mintJsCode(MINI.appId, { openid: 'busy-user' });
    const limited = await code2Session(fx.emulator, over.code);
    expectErrcode(limited, 45011);
    expect(limited.body.errmsg).toMatch(
      /^api minute-quota reach limit, must slower, retry next minute rid:/,
    );

    const other = fx.emulator.mintJsCode(MINI.appId, { openid: 'calm-user' });
    expect((await code2Session(fx.emulator, other.code)).body.openid).toBe('calm-user');

    fx.clock.advance(59 * SECOND);
    expectErrcode(await code2Session(fx.emulator, over.code), 45011);
    fx.clock.advance(1 * SECOND);
    expect((await code2Session(fx.emulator, over.code)).body.openid).toBe('busy-user');
  });

  it.each([
    ['a missing appid', { appid: '' }, 41002],
    ['a missing secret', { secret: '' }, 41004],
    ['a missing js_code', { js_code: '' }, 41008],
    ['a wrong grant_type', { grant_type: 'client_credential' }, 40002],
    ['an unknown appid', { appid: 'wx0000000000000bad' }, 40013],
    ['a wrong secret', { secret: 'nope' }, 40125],
  ])(
    'answers %s with the matching errcode, leaving the code usable',
    async (_name, overrides, errcode) => {
      const { code, openid } = fx.emulator.mintJsCode(MINI.appId);
      expectErrcode(await code2Session(fx.emulator, code, overrides), errcode);
      expect((await code2Session(fx.emulator, code)).body.openid).toBe(openid);
    },
  );

  it('mints codes only for mini programs', () => {
    expect(() => fx.emulator.mintJsCode(OFFICIAL.appId)).toThrow(/mini programs/);
    expect(() => fx.emulator.mintJsCode('wx-nope')).toThrow(/no app/);
  });

  it('answers 40029 for a web-OAuth code of another official account', async () => {
    const { code } = fx.emulator.mintOAuthCode(SECOND_OFFICIAL.appId, { scope: 'snsapi_base' });
    const res = await get(fx.emulator, OAUTH_TOKEN_API, {
      appid: OFFICIAL.appId,
      secret: OFFICIAL.appSecret,
      code,
      grant_type: 'authorization_code',
    });
    expectErrcode(res, 40029);
  });
});
