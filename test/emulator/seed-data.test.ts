import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { seedUsers } from '../../src/emulator/seed-data.js';
import { OFFICIAL } from '../support/apps.js';
import { BATCHGET_API } from '../support/wechat-api.js';
import { arrayField, postJson, stableToken } from './helpers.js';

describe('seeded users', () => {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  const start = async (seed?: number) => {
    const emulator = await createEmulator({ clock: createManualClock(), seed });
    started.push(emulator);
    return emulator;
  };

  const everyone = async (emulator: Emulator) => {
    const openids = [
      ...emulator.followerOpenids(OFFICIAL.appId),
      ...emulator.unsubscribedOpenids(OFFICIAL.appId),
    ];
    const token = await stableToken(emulator);
    const records: unknown[] = [];
    for (let i = 0; i < openids.length; i += 100) {
      const res = await postJson(
        emulator,
        BATCHGET_API,
        { access_token: token },
        {
          user_list: openids.slice(i, i + 100).map((openid) => ({ openid })),
        },
      );
      records.push(...arrayField(res, 'user_info_list'));
    }
    return records;
  };

  it('are the same for the same seed, across emulators', async () => {
    const [a, b] = await Promise.all([start(7), start(7)]);
    expect(a.followerOpenids(OFFICIAL.appId)).toEqual(b.followerOpenids(OFFICIAL.appId));
    expect(await everyone(a)).toEqual(await everyone(b));
  });

  it('default to seed 1 and differ for another seed', async () => {
    const [implicit, one, two] = await Promise.all([start(), start(1), start(2)]);
    expect(implicit.followerOpenids(OFFICIAL.appId)).toEqual(one.followerOpenids(OFFICIAL.appId));
    expect(two.followerOpenids(OFFICIAL.appId)).not.toEqual(one.followerOpenids(OFFICIAL.appId));
  });

  it('have the variety a real account has', async () => {
    const emulator = await start();
    expect(emulator.followerOpenids(OFFICIAL.appId)).toHaveLength(300);
    expect(emulator.unsubscribedOpenids(OFFICIAL.appId)).toHaveLength(30);
    const records = (await everyone(emulator)).map((record) => {
      if (typeof record !== 'object' || record === null) throw new Error('not a record');
      return Object.fromEntries(Object.entries(record));
    });
    const followers = records.filter((record) => record.subscribe === 1);
    const withUnionid = followers.filter((record) => typeof record.unionid === 'string').length;
    expect(withUnionid).toBeGreaterThan(100);
    expect(withUnionid).toBeLessThan(250);
    expect(followers.some((record) => record.remark !== '')).toBe(true);
    expect(
      followers.some((record) => Array.isArray(record.tagid_list) && record.tagid_list.length > 1),
    ).toBe(true);
    expect(new Set(followers.map((record) => record.subscribe_scene)).size).toBeGreaterThan(6);
    for (const record of followers) {
      if (record.subscribe_scene === 'ADD_SCENE_QR_CODE')
        expect(record.qr_scene).toBeGreaterThan(0);
      else expect(record).toMatchObject({ qr_scene: 0, qr_scene_str: '' });
    }
    expect(followers.some((record) => String(record.qr_scene_str).startsWith('promo-'))).toBe(true);
    expect(new Set(followers.map((record) => record.language))).toEqual(
      new Set(['zh_CN', 'zh_TW', 'en']),
    );
  });

  it('list followers oldest follow first, with WeChat-shaped openids unique to the app', () => {
    const { followers, unsubscribed } = seedUsers(1, OFFICIAL.appId, 300);
    const times = followers.map((user) => user.subscribeTime);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const openids = [...followers, ...unsubscribed].map((user) => user.openid);
    expect(new Set(openids).size).toBe(openids.length);
    for (const openid of openids) expect(openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    const prefix = openids[0]?.slice(0, 6);
    expect(openids.every((openid) => openid.startsWith(prefix ?? '?'))).toBe(true);
    const otherApp = seedUsers(1, 'wx00000000000000ff', 1).followers[0]?.openid;
    expect(otherApp?.slice(0, 6)).not.toBe(prefix);
  });

  it('generate 20 000 followers quickly', () => {
    const startedAt = performance.now();
    expect(seedUsers(3, OFFICIAL.appId, 20_000).followers).toHaveLength(20_000);
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });
});
