import { describe, expect, it } from 'vitest';
import { nextWechatDayStart } from '../../src/shared/clock.js';
import { OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { STABLE_TOKEN_API } from '../support/wechat-api.js';
import {
  expectErrcode,
  legacyToken,
  numberField,
  postJson,
  send,
  stableToken,
  stableTokenResponse,
  stringField,
  tokenVerdict,
  useEmulator,
} from './helpers.js';

const credentials = {
  grant_type: 'client_credential',
  appid: OFFICIAL.appId,
  secret: OFFICIAL.appSecret,
};

describe('POST /cgi-bin/stable_token, normal mode', () => {
  const fx = useEmulator();

  it('returns the same token with a decreasing expires_in', async () => {
    const first = await stableTokenResponse(fx.emulator);
    expect(Object.keys(first.body).sort()).toEqual(['access_token', 'expires_in']);
    expect(first.body.expires_in).toBe(7200);
    fx.clock.advance(1000 * SECOND);
    const second = await stableTokenResponse(fx.emulator, OFFICIAL, false);
    expect(second.body.access_token).toBe(first.body.access_token);
    expect(second.body.expires_in).toBe(6200);
  });

  it('rotates in the last 300 s and keeps the old token until its own expiry', async () => {
    const old = await stableToken(fx.emulator);
    fx.clock.advance(6899 * SECOND);
    const stillOld = await stableTokenResponse(fx.emulator);
    expect(stillOld.body).toEqual({ access_token: old, expires_in: 301 });

    fx.clock.advance(1 * SECOND);
    const rotated = await stableTokenResponse(fx.emulator);
    expect(rotated.body.access_token).not.toBe(old);
    expect(rotated.body.expires_in).toBe(7200);
    const fresh = stringField(rotated, 'access_token');

    fx.clock.advance(299 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe('ok');
    expect(await tokenVerdict(fx.emulator, fresh)).toBe('ok');
    fx.clock.advance(1 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe(42001);
    expect(await stableToken(fx.emulator)).toBe(fresh);
  });

  it('never hands out a token with less than 300 s left', async () => {
    await stableToken(fx.emulator);
    for (let elapsed = 0; elapsed < 3 * 7200; elapsed += 250) {
      const res = await stableTokenResponse(fx.emulator);
      expect(numberField(res, 'expires_in')).toBeGreaterThanOrEqual(300);
      fx.clock.advance(250 * SECOND);
    }
  });

  it('is independent of legacy tokens, both ways', async () => {
    const stable = await stableToken(fx.emulator);
    const legacy = await legacyToken(fx.emulator);
    await legacyToken(fx.emulator);
    await legacyToken(fx.emulator);
    fx.clock.advance(301 * SECOND);
    expect(await tokenVerdict(fx.emulator, stable)).toBe('ok');
    expect(await tokenVerdict(fx.emulator, legacy)).toBe(40001);
    expect(await stableToken(fx.emulator)).toBe(stable);

    const legacyNow = await legacyToken(fx.emulator);
    await stableToken(fx.emulator, OFFICIAL, true);
    fx.clock.advance(301 * SECOND);
    expect(await tokenVerdict(fx.emulator, legacyNow)).toBe('ok');
  });
});

describe('POST /cgi-bin/stable_token, force_refresh', () => {
  const fx = useEmulator();

  it('issues a new token and invalidates the previous one at once', async () => {
    const old = await stableToken(fx.emulator);
    const forced = await stableTokenResponse(fx.emulator, OFFICIAL, true);
    expect(forced.body.access_token).not.toBe(old);
    expect(forced.body.expires_in).toBe(7200);
    expect(await tokenVerdict(fx.emulator, old)).toBe(40001);
    expect(await tokenVerdict(fx.emulator, stringField(forced, 'access_token'))).toBe('ok');
  });

  it('also drops a token still in its normal-mode hand-over', async () => {
    const old = await stableToken(fx.emulator);
    fx.clock.advance(7000 * SECOND);
    const handedOver = await stableToken(fx.emulator);
    expect(handedOver).not.toBe(old);
    expect(await tokenVerdict(fx.emulator, old)).toBe('ok');
    await stableToken(fx.emulator, OFFICIAL, true);
    expect(await tokenVerdict(fx.emulator, old)).toBe(40001);
    expect(await tokenVerdict(fx.emulator, handedOver)).toBe(40001);
  });

  it('returns the current token unchanged when forced again within 30 s', async () => {
    const forced = await stableToken(fx.emulator, OFFICIAL, true);
    fx.clock.advance(29 * SECOND);
    const tooEarly = await stableTokenResponse(fx.emulator, OFFICIAL, true);
    expect(tooEarly.body).toEqual({ access_token: forced, expires_in: 7171 });
    expect(await tokenVerdict(fx.emulator, forced)).toBe('ok');
    fx.clock.advance(1 * SECOND);
    expect(await stableToken(fx.emulator, OFFICIAL, true)).not.toBe(forced);
  });

  it('allows 20 forced refreshes a WeChat day, then 45009 until the next day', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) {
      tokens.add(await stableToken(fx.emulator, OFFICIAL, true));
      fx.clock.advance(30 * SECOND);
    }
    expect(tokens.size).toBe(20);
    const refused = await stableTokenResponse(fx.emulator, OFFICIAL, true);
    expectErrcode(refused, 45009);
    expect(refused.body.errmsg).toMatch(/^reach max api daily quota limit rid:/);
    // Normal mode is not affected by the force budget.
    const last = [...tokens].at(-1);
    expect(await stableToken(fx.emulator)).toBe(last);

    fx.clock.set(nextWechatDayStart(fx.clock.now()));
    expect(await stableToken(fx.emulator, OFFICIAL, true)).not.toBe(last);
  });

  it('does not charge too-early force calls to the budget', async () => {
    for (let i = 0; i < 19; i++) {
      await stableToken(fx.emulator, OFFICIAL, true);
      fx.clock.advance(10 * SECOND);
      await stableToken(fx.emulator, OFFICIAL, true);
      fx.clock.advance(20 * SECOND);
    }
    await stableToken(fx.emulator, OFFICIAL, true);
    fx.clock.advance(30 * SECOND);
    expectErrcode(await stableTokenResponse(fx.emulator, OFFICIAL, true), 45009);
  });
});

describe('POST /cgi-bin/stable_token, request format and errors', () => {
  const fx = useEmulator();

  it('answers a form-encoded body with 41002 appid missing', async () => {
    const res = await send(fx.emulator, STABLE_TOKEN_API, {
      method: 'POST',
      body: new URLSearchParams(credentials).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectErrcode(res, 41002);
    expect(res.body.errmsg).toMatch(/^appid missing rid:/);
  });

  it('ignores query parameters and bodies without a JSON content type', async () => {
    expectErrcode(
      await send(fx.emulator, STABLE_TOKEN_API, { method: 'POST', query: credentials }),
      41002,
    );
    expectErrcode(
      await send(fx.emulator, STABLE_TOKEN_API, {
        method: 'POST',
        body: JSON.stringify(credentials),
        contentType: 'text/plain',
      }),
      41002,
    );
  });

  it('accepts a JSON content type with a charset', async () => {
    const res = await send(fx.emulator, STABLE_TOKEN_API, {
      method: 'POST',
      body: JSON.stringify(credentials),
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('answers malformed JSON and a non-boolean force_refresh with 47001', async () => {
    expectErrcode(
      await send(fx.emulator, STABLE_TOKEN_API, {
        method: 'POST',
        body: '{"appid": ',
        contentType: 'application/json',
      }),
      47001,
    );
    expectErrcode(
      await postJson(fx.emulator, STABLE_TOKEN_API, {}, { ...credentials, force_refresh: 'yes' }),
      47001,
    );
  });

  it('requires POST', async () => {
    expectErrcode(await send(fx.emulator, STABLE_TOKEN_API, { query: credentials }), 43002);
  });

  it.each([
    ['missing appid', { grant_type: 'client_credential', secret: OFFICIAL.appSecret }, 41002],
    ['missing secret', { grant_type: 'client_credential', appid: OFFICIAL.appId }, 41004],
    ['wrong grant_type', { ...credentials, grant_type: 'password' }, 40002],
    ['unknown appid', { ...credentials, appid: 'wx0000000000000bad' }, 40013],
    ['wrong secret', { ...credentials, secret: 'nope' }, 40125],
  ])('answers %s with the matching errcode', async (_name, body, errcode) => {
    expectErrcode(await postJson(fx.emulator, STABLE_TOKEN_API, {}, body), errcode);
  });
});

describe('forceRotateStable control', () => {
  const fx = useEmulator();

  it('rotates like a force_refresh without touching the daily budget', async () => {
    const old = await stableToken(fx.emulator);
    const rotated = fx.emulator.forceRotateStable(OFFICIAL.appId);
    expect(rotated).not.toBe(old);
    expect(await tokenVerdict(fx.emulator, old)).toBe(40001);
    expect(await stableToken(fx.emulator)).toBe(rotated);
    for (let i = 0; i < 25; i++) fx.emulator.forceRotateStable(OFFICIAL.appId);
    expect(fx.emulator.calls(STABLE_TOKEN_API)).toBe(2);
    for (let i = 0; i < 20; i++) {
      expect((await stableTokenResponse(fx.emulator, OFFICIAL, true)).body.errcode).toBeUndefined();
      fx.clock.advance(30 * SECOND);
    }
  });
});
