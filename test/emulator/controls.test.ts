import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { createOffsetClock } from '../../src/emulator/offset-clock.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { FOLLOWERS_API, LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  legacyToken,
  legacyTokenResponse,
  numberField,
  postJson,
  send,
  stableToken,
  stableTokenResponse,
  tokenVerdict,
  useEmulator,
  type Target,
} from './helpers.js';

const control = (emulator: Target, name: string, payload?: unknown) =>
  payload === undefined
    ? get(emulator, `/__emulator/${name}`)
    : postJson(emulator, `/__emulator/${name}`, {}, payload);

describe('HTTP controls (/__emulator/…)', () => {
  const fx = useEmulator({ controls: true });

  it('report the call counters, per app too, without counting themselves', async () => {
    await legacyToken(fx.emulator);
    await stableToken(fx.emulator);
    await stableToken(fx.emulator);
    const all = await control(fx.emulator, 'calls');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ calls: { [LEGACY_TOKEN_API]: 1, [STABLE_TOKEN_API]: 2 } });
    const official = await get(fx.emulator, '/__emulator/calls', { appid: OFFICIAL.appId });
    expect(official.body).toEqual(all.body);
    const other = await get(fx.emulator, '/__emulator/calls', { appid: 'wx-none' });
    expect(other.body).toEqual({ calls: {} });
    expect(fx.emulator.calls('/__emulator/calls')).toBe(0);

    expect((await control(fx.emulator, 'calls/reset', {})).status).toBe(200);
    expect((await control(fx.emulator, 'calls')).body).toEqual({ calls: {} });
  });

  it('move the clock forward: a foreign legacy fetch, then the 300 s hand-over passes', async () => {
    const ours = await legacyToken(fx.emulator);
    const taken = await control(fx.emulator, 'tokens/take-legacy', { appid: OFFICIAL.appId });
    expect(taken.body.access_token).toEqual(expect.any(String));
    expect(taken.body.access_token).not.toBe(ours);
    // "Another environment" is not one of our calls.
    expect(fx.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect(await tokenVerdict(fx.emulator, ours)).toBe('ok');

    const before = fx.clock.now();
    const moved = await control(fx.emulator, 'clock/advance', { seconds: 300 });
    expect(moved.body).toEqual({ now: before + 300 * SECOND });
    expect(fx.clock.now()).toBe(before + 300 * SECOND);
    expect(await tokenVerdict(fx.emulator, ours)).toBe(40001);
  });

  it('expire every token of an app, or rotate its stable token as a force_refresh would', async () => {
    const stable = await stableToken(fx.emulator);
    const rotated = await control(fx.emulator, 'tokens/force-rotate-stable', {
      appid: OFFICIAL.appId,
    });
    const fresh = String(rotated.body.access_token);
    expect(fresh).not.toBe(stable);
    expect(await tokenVerdict(fx.emulator, stable)).toBe(40001);
    expect(await tokenVerdict(fx.emulator, fresh)).toBe('ok');
    expect(fx.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    await control(fx.emulator, 'tokens/expire', { appid: OFFICIAL.appId });
    expect(await tokenVerdict(fx.emulator, fresh)).toBe(42001);
  });

  it('inject errcodes and list the seeded followers', async () => {
    const token = await stableToken(fx.emulator);
    await control(fx.emulator, 'faults/fail-next', {
      path: FOLLOWERS_API,
      count: 2,
      errcode: 45011,
    });
    expectErrcode(await get(fx.emulator, FOLLOWERS_API, { access_token: token }), 45011);
    expectErrcode(await get(fx.emulator, FOLLOWERS_API, { access_token: token }), 45011);
    expect(await tokenVerdict(fx.emulator, token)).toBe('ok');

    const followers = await get(fx.emulator, '/__emulator/followers', { appid: OFFICIAL.appId });
    expect(followers.body).toEqual({ openids: fx.emulator.followerOpenids(OFFICIAL.appId) });
  });

  it('take parameters from the query too, numbers included', async () => {
    const before = fx.clock.now();
    const moved = await send(fx.emulator, '/__emulator/clock/advance', {
      method: 'POST',
      query: { seconds: '1.5' },
    });
    expect(moved.body).toEqual({ now: before + 1.5 * SECOND });
    const badSeconds = await send(fx.emulator, '/__emulator/clock/advance', {
      method: 'POST',
      query: { seconds: 'soon' },
    });
    expect(badSeconds.status).toBe(400);
    expect(badSeconds.body.error).toMatch(/"seconds" must be a number/);
  });

  it('answer mistakes with 400, 404 or 405 and a message', async () => {
    const unknownApp = await control(fx.emulator, 'tokens/expire', { appid: 'wx-none' });
    expect(unknownApp.status).toBe(400);
    expect(unknownApp.body.error).toMatch(/wx-none/);
    expect((await control(fx.emulator, 'tokens/expire', {})).body.error).toMatch(/"appid"/);
    const badSeconds = await control(fx.emulator, 'clock/advance', { seconds: -1 });
    expect(badSeconds.status).toBe(400);
    const malformed = await send(fx.emulator, '/__emulator/tokens/expire', {
      method: 'POST',
      body: '[1]',
      contentType: 'application/json',
    });
    expect(malformed.status).toBe(400);
    const unknown = await control(fx.emulator, 'nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/tokens\/expire/);
    expect((await control(fx.emulator, 'tokens/expire')).status).toBe(405);
  });
});

describe('controls off, or on an immovable clock', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => emulator?.close());

  it('are an unknown API like any other unless asked for', async () => {
    emulator = await createEmulator();
    const res = await get(emulator, '/__emulator/calls');
    expect(res.status).toBe(404);
    expect(numberField(res, 'errcode')).toBe(40066);
    expect(emulator.calls('/__emulator/calls')).toBe(1);
  });

  it('refuse to move the system clock, but move an offset clock', async () => {
    emulator = await createEmulator({ controls: true, clock: systemClock });
    const refused = await control(emulator, 'clock/advance', { seconds: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/cannot be moved/);
    await emulator.close();

    const clock = createOffsetClock({ now: () => 1_000_000 });
    emulator = await createEmulator({ controls: true, clock });
    expect((await control(emulator, 'clock/advance', { seconds: 2.5 })).body).toEqual({
      now: 1_002_500,
    });
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('token lifetime and hand-over options', () => {
  const fx = useEmulator({ tokenLifetimeSeconds: 60, tokenHandoverSeconds: 20 });

  it('legacy: tokens live the given lifetime; a superseded one works for the hand-over', async () => {
    const first = await legacyTokenResponse(fx.emulator);
    expect(first.body.expires_in).toBe(60);
    const old = String(first.body.access_token);
    fx.clock.advance(10 * SECOND);
    await legacyToken(fx.emulator);
    fx.clock.advance(19 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe('ok');
    fx.clock.advance(2 * SECOND);
    expect(await tokenVerdict(fx.emulator, old)).toBe(40001);
  });

  it('stable: the same token until its last hand-over seconds, then a new one', async () => {
    const first = await stableTokenResponse(fx.emulator);
    expect(first.body.expires_in).toBe(60);
    fx.clock.advance(39 * SECOND);
    const same = await stableTokenResponse(fx.emulator);
    expect(same.body).toEqual({ access_token: first.body.access_token, expires_in: 21 });
    fx.clock.advance(2 * SECOND);
    const next = await stableTokenResponse(fx.emulator);
    expect(next.body.access_token).not.toBe(first.body.access_token);
    expect(next.body.expires_in).toBe(60);
    expect(await tokenVerdict(fx.emulator, String(first.body.access_token))).toBe('ok');
    fx.clock.advance(20 * SECOND);
    expect(await tokenVerdict(fx.emulator, String(first.body.access_token))).toBe(42001);
  });

  it('refuses a hand-over that does not end before the token does', async () => {
    await expect(createEmulator({ tokenLifetimeSeconds: 300 })).rejects.toThrow(
      /tokenHandoverSeconds \(300\) must be shorter than tokenLifetimeSeconds \(300\)/,
    );
    await expect(
      createEmulator({ tokenLifetimeSeconds: 60, tokenHandoverSeconds: 0 }),
    ).rejects.toThrow(/tokenHandoverSeconds must be a positive integer/);
  });
});
