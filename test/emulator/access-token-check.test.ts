import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import {
  BATCHGET_API,
  FOLLOWERS_API,
  LEGACY_TOKEN_API,
  TICKET_API,
  USER_INFO_API,
} from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  legacyToken,
  postJson,
  stableToken,
  tokenVerdict,
  useEmulator,
  type WireResponse,
} from './helpers.js';

type BusinessCall = (emulator: Emulator, token: string | undefined) => Promise<WireResponse>;

function withToken(
  token: string | undefined,
  query: Record<string, string>,
): Record<string, string> {
  return token === undefined ? query : { ...query, access_token: token };
}

const BUSINESS_ENDPOINTS: [string, BusinessCall][] = [
  [
    USER_INFO_API,
    (emulator, token) =>
      get(
        emulator,
        USER_INFO_API,
        withToken(token, {
          openid: emulator.followerOpenids(OFFICIAL.appId)[0] ?? '',
        }),
      ),
  ],
  [
    BATCHGET_API,
    (emulator, token) =>
      postJson(emulator, BATCHGET_API, withToken(token, {}), {
        user_list: [{ openid: emulator.followerOpenids(OFFICIAL.appId)[0] }],
      }),
  ],
  [FOLLOWERS_API, (emulator, token) => get(emulator, FOLLOWERS_API, withToken(token, {}))],
  [TICKET_API, (emulator, token) => get(emulator, TICKET_API, withToken(token, { type: 'jsapi' }))],
];

describe.each(BUSINESS_ENDPOINTS)('%s checks the access token like WeChat', (_path, call) => {
  const fx = useEmulator();

  it('accepts a valid legacy or stable token', async () => {
    expect((await call(fx.emulator, await legacyToken(fx.emulator))).body.errcode ?? 0).toBe(0);
    expect((await call(fx.emulator, await stableToken(fx.emulator))).body.errcode ?? 0).toBe(0);
  });

  it('answers 41001 without a token (absent or empty)', async () => {
    expectErrcode(await call(fx.emulator, undefined), 41001);
    expectErrcode(await call(fx.emulator, ''), 41001);
  });

  it('answers 40001 for an unknown token, with the stable-token hint', async () => {
    const res = await call(fx.emulator, '2');
    expectErrcode(res, 40001);
    expect(res.body.errmsg).toMatch(
      /^invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken/,
    );
    expectErrcode(await call(fx.emulator, `86_${'A'.repeat(133)}`), 40001);
  });

  it('accepts a superseded token during its 300 s grace, then 40001', async () => {
    const old = await legacyToken(fx.emulator);
    await legacyToken(fx.emulator);
    fx.clock.advance(299 * SECOND);
    expect((await call(fx.emulator, old)).body.errcode ?? 0).toBe(0);
    fx.clock.advance(2 * SECOND);
    expectErrcode(await call(fx.emulator, old), 40001);
  });

  it('answers 42001 for an expired token', async () => {
    const token = await legacyToken(fx.emulator);
    fx.clock.advance(7200 * SECOND);
    expectErrcode(await call(fx.emulator, token), 42001);
  });

  it('answers 48001 for a mini program’s token (wrong account type)', async () => {
    expectErrcode(await call(fx.emulator, await legacyToken(fx.emulator, MINI)), 48001);
  });
});

describe('a token only reaches its own app’s data', () => {
  const other = {
    appId: 'wx00000000000000c3',
    appSecret: 'other-secret',
    kind: 'official' as const,
    followers: 5,
  };
  const fx = useEmulator({ apps: [OFFICIAL, other] });

  it('answers 40003 for another app’s openid', async () => {
    const token = await legacyToken(fx.emulator, OFFICIAL);
    const foreign = fx.emulator.followerOpenids(other.appId)[0] ?? '';
    expectErrcode(
      await get(fx.emulator, USER_INFO_API, { access_token: token, openid: foreign }),
      40003,
    );
    const own = await get(fx.emulator, USER_INFO_API, {
      access_token: await legacyToken(fx.emulator, other),
      openid: foreign,
    });
    expect(own.body).toMatchObject({ subscribe: 1, openid: foreign });
  });

  it('pages the followers of the token’s app', async () => {
    const res = await get(fx.emulator, FOLLOWERS_API, {
      access_token: await stableToken(fx.emulator, other),
    });
    expect(res.body).toMatchObject({ total: 5, count: 5 });
  });
});

describe('takeLegacyToken control (another environment)', () => {
  const fx = useEmulator();

  it('starts the 300 s countdown on our legacy token and is not counted as a call', async () => {
    const ours = await legacyToken(fx.emulator);
    fx.clock.advance(60 * SECOND);
    const theirs = fx.emulator.takeLegacyToken(OFFICIAL.appId);
    expect(theirs).not.toBe(ours);
    expect(await tokenVerdict(fx.emulator, theirs)).toBe('ok');
    fx.clock.advance(299 * SECOND);
    expect(await tokenVerdict(fx.emulator, ours)).toBe('ok');
    fx.clock.advance(2 * SECOND);
    expect(await tokenVerdict(fx.emulator, ours)).toBe(40001);
    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
  });

  it('leaves stable tokens alone', async () => {
    const stable = await stableToken(fx.emulator);
    fx.emulator.takeLegacyToken(OFFICIAL.appId);
    fx.emulator.takeLegacyToken(OFFICIAL.appId);
    fx.clock.advance(301 * SECOND);
    expect(await tokenVerdict(fx.emulator, stable)).toBe('ok');
  });

  it('rejects an unknown app', () => {
    expect(() => fx.emulator.takeLegacyToken('wx-nope')).toThrow(/no app wx-nope/);
  });
});

describe('expireTokens control', () => {
  const fx = useEmulator();

  it('expires every token of the app: legacy, previous legacy, stable, previous stable', async () => {
    const legacyPrevious = await legacyToken(fx.emulator);
    const legacyCurrent = await legacyToken(fx.emulator);
    const stablePrevious = await stableToken(fx.emulator);
    fx.clock.advance(6950 * SECOND);
    const stableCurrent = await stableToken(fx.emulator);
    expect(stableCurrent).not.toBe(stablePrevious);
    const miniToken = await legacyToken(fx.emulator, MINI);

    fx.emulator.expireTokens(OFFICIAL.appId);
    for (const token of [legacyPrevious, legacyCurrent, stablePrevious, stableCurrent]) {
      expect(await tokenVerdict(fx.emulator, token)).toBe(42001);
    }
    // Another app's tokens are untouched (48001 means its token passed the check).
    expectErrcode(await get(fx.emulator, FOLLOWERS_API, { access_token: miniToken }), 48001);
  });

  it('lets the app fetch working tokens again', async () => {
    await legacyToken(fx.emulator);
    const stable = await stableToken(fx.emulator);
    fx.emulator.expireTokens(OFFICIAL.appId);
    const freshStable = await stableToken(fx.emulator);
    expect(freshStable).not.toBe(stable);
    expect(await tokenVerdict(fx.emulator, freshStable)).toBe('ok');
    expect(await tokenVerdict(fx.emulator, await legacyToken(fx.emulator))).toBe('ok');
  });
});
