import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { createEmulator, DEFAULT_EMULATOR_APPS, type Emulator } from '../../src/emulator/index.js';
import { seedUsers } from '../../src/emulator/seed-data.js';
import { OFFICIAL } from '../support/apps.js';
import { BATCHGET_API, OAUTH_TOKEN_API, SNS_USERINFO_API } from '../support/wechat-api.js';
import { arrayField, get, postJson, stableToken, stringField } from './helpers.js';

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

  it('have distinct nicknames in each app for the default seed: the consent page tells them apart', () => {
    for (const app of DEFAULT_EMULATOR_APPS) {
      const { followers, unsubscribed } = seedUsers(1, app.appId, app.followers ?? 0);
      const nicknames = [...followers, ...unsubscribed].map((user) => user.nickname);
      expect(new Set(nicknames).size, app.appId).toBe(nicknames.length);
    }
    // The two seeded users the consent page offers: the first follower and the first ex-follower.
    const { followers, unsubscribed } = seedUsers(1, OFFICIAL.appId, 300);
    expect(followers[0]?.nickname).not.toBe(unsubscribed[0]?.nickname);
  });

  it('have avatars the emulator serves itself, in the shape of WeChat’s CDN URLs', async () => {
    const emulator = await start();
    const { followers, unsubscribed } = seedUsers(1, OFFICIAL.appId, 300);
    const avatars = [...followers, ...unsubscribed].map((user) => user.headimgurl);
    for (const path of avatars) expect(path).toMatch(/^(\/mmopen\/vi_32\/[A-Za-z0-9]{40}\/132)?$/);
    expect(avatars.filter((path) => path !== '').length).toBeGreaterThan(250);
    const [first = '', second = ''] = avatars.filter((path) => path !== '');

    const image = async (path: string) => {
      const res = await fetch(`${emulator.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      return Buffer.from(await res.arrayBuffer());
    };
    const small = await image(first);
    expect(PNG.sync.read(small)).toMatchObject({ width: 132, height: 132 });
    // As on WeChat, the last segment is the size: 0 is the largest, 640 pixels.
    expect(PNG.sync.read(await image(first.replace(/\/132$/, '/0')))).toMatchObject({
      width: 640,
      height: 640,
    });
    expect(await image(first)).toEqual(small);
    expect(await image(second)).not.toEqual(small);
    expect((await fetch(`${emulator.url}${first.replace(/\/132$/, '/100')}`)).status).toBe(404);
    // Images, not API calls: not counted.
    expect(emulator.calls(first)).toBe(0);
  });

  it('come out of /sns/userinfo with the avatar as a URL on the emulator', async () => {
    const emulator = await start();
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    const { code } = emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_userinfo', openid });
    const token = await get(emulator, OAUTH_TOKEN_API, {
      appid: OFFICIAL.appId,
      secret: OFFICIAL.appSecret,
      code,
      grant_type: 'authorization_code',
    });
    const info = await get(emulator, SNS_USERINFO_API, {
      access_token: stringField(token, 'access_token'),
      openid,
    });
    const seeded = seedUsers(1, OFFICIAL.appId, 300).followers[0];
    expect(seeded?.headimgurl).not.toBe('');
    expect(stringField(info, 'headimgurl')).toBe(`${emulator.url}${seeded?.headimgurl ?? ''}`);
    expect(stringField(info, 'nickname')).toBe(seeded?.nickname);
  });

  it('generate 20 000 followers quickly', () => {
    // CPU time, not wall time: a loaded machine stretches the second, not the first.
    const cpu = process.cpuUsage();
    expect(seedUsers(3, OFFICIAL.appId, 20_000).followers).toHaveLength(20_000);
    const { user, system } = process.cpuUsage(cpu);
    expect((user + system) / 1000).toBeLessThan(2000);
  });
});
