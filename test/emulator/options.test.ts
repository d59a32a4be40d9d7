import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../../src/shared/clock.js';
import { DEFAULT_EMULATOR_APPS, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { OFFICIAL } from '../support/apps.js';
import { legacyTokenResponse } from './helpers.js';

describe('createEmulator options', () => {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  it('defaults to the sandbox apps, the system clock and an ephemeral loopback port', async () => {
    const emulator = await createEmulator();
    started.push(emulator);
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.url).not.toMatch(/:4100$/);
    expect(emulator.clock).toBe(systemClock);
    expect(emulator.apps.map((app) => [app.appId, app.kind, app.followers])).toEqual([
      ['wx00000000000000a1', 'official', 300],
      ['wx00000000000000b2', 'miniprogram', 0],
    ]);
    expect(DEFAULT_EMULATOR_APPS.map((app) => app.appSecret)).toEqual([
      'sandbox-official-secret-0000000a1',
      'sandbox-miniprogram-secret-00000b2',
    ]);
    expect((await legacyTokenResponse(emulator)).body.expires_in).toBe(7200);
  });

  it('exposes the clock it was given and fills in followers', async () => {
    const clock = createManualClock();
    const emulator = await createEmulator({
      clock,
      apps: [{ appId: 'wx1', appSecret: 's', kind: 'official' }],
    });
    started.push(emulator);
    expect(emulator.clock).toBe(clock);
    expect(emulator.apps[0]?.followers).toBe(300);
    expect(emulator.followerOpenids('wx1')).toHaveLength(300);
    expect(emulator.unsubscribedOpenids('wx1')).toHaveLength(30);
    expect(() => emulator.followerOpenids(OFFICIAL.appId)).toThrow(/no app/);
  });

  it.each([
    ['a duplicate appid', { apps: [OFFICIAL, OFFICIAL] }, /configured twice/],
    [
      'followers on a mini program',
      { apps: [{ appId: 'wx2', appSecret: 's', kind: 'miniprogram' as const, followers: 3 }] },
      /no followers/,
    ],
    ['negative followers', { apps: [{ ...OFFICIAL, followers: -1 }] }, /followers/],
    ['an empty secret', { apps: [{ ...OFFICIAL, appSecret: '' }] }, /appSecret/],
    ['a zero quota', { legacyTokenDailyQuota: 0 }, /legacyTokenDailyQuota/],
    ['a fractional seed', { seed: 1.5 }, /seed/],
  ])('rejects %s', async (_name, options, message) => {
    await expect(createEmulator(options)).rejects.toThrow(message);
  });

  it('reports a port already in use', async () => {
    const first = await createEmulator();
    started.push(first);
    const port = Number(new URL(first.url).port);
    await expect(createEmulator({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});
