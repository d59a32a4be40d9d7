/**
 * The emulator's QR codes, mini program codes, links, phone codes and tags on the wire, with the
 * injected clock: tickets resolve to scenes and expire, codes are real PNGs labelled image/jpeg
 * (JSON with an errcode on error), phone codes work once for 5 minutes, tag limits hold, and the
 * new endpoints take injected faults.
 */
import { request } from 'undici';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import {
  GENERATE_URLLINK_API,
  PHONE_NUMBER_API,
  QRCODE_CREATE_API,
  TAGS_BATCH_TAG_API,
  TAGS_CREATE_API,
  TAGS_UPDATE_API,
  UPDATE_REMARK_API,
  WXACODE_UNLIMIT_API,
} from '../support/wechat-api.js';
import { expectErrcode, postJson, stableToken, useEmulator } from './helpers.js';

describe('QR codes', () => {
  const fx = useEmulator();

  it('a temporary ticket resolves to its scene until expire_seconds pass; invalid scenes are 40053', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator);
    const create = (body: object) =>
      postJson(emulator, QRCODE_CREATE_API, { access_token: token }, body);
    const res = await create({
      expire_seconds: 120,
      action_name: 'QR_SCENE',
      action_info: { scene: { scene_id: 123 } },
    });
    expect(res.body).toMatchObject({
      expire_seconds: 120,
      url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//),
    });
    const ticket = String(res.body.ticket);
    expect(emulator.qrCodeScene(ticket)).toMatchObject({ sceneId: 123, appId: OFFICIAL.appId });
    clock.advance(120 * SECOND);
    expect(emulator.qrCodeScene(ticket)).toBeUndefined();
    const clamped = await create({
      expire_seconds: 9_999_999,
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: 's' } },
    });
    expect(clamped.body.expire_seconds).toBe(2_592_000);
    expectErrcode(
      await create({
        action_name: 'QR_LIMIT_SCENE',
        action_info: { scene: { scene_id: 100_001 } },
      }),
      40053,
    );
    expectErrcode(
      await create({
        action_name: 'QR_STR_SCENE',
        action_info: { scene: { scene_str: 'x'.repeat(65) } },
      }),
      40053,
    );
    expectErrcode(await create({ action_name: 'QR_FOO' }), 40053);
  });
});

describe('mini program codes', () => {
  const fx = useEmulator();

  it('are real PNGs labelled image/jpeg as WeChat labels them; errors are JSON', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator, MINI);
    const url = `${emulator.url}${WXACODE_UNLIMIT_API}?access_token=${token}`;
    const post = (body: object) =>
      request(url, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const ok = await post({
      scene: 'id=42',
      page: 'pages/index/index',
      width: 280,
      is_hyaline: true,
    });
    expect(ok.headers['content-type']).toBe('image/jpeg');
    const png = PNG.sync.read(Buffer.from(await ok.body.arrayBuffer()));
    expect(png.width).toBeGreaterThan(200);
    expect(png.data[3]).toBe(0); // transparent corner
    for (const [body, errcode] of [
      [{ scene: '' }, 40169],
      [{ scene: 'a%20b' }, 40129],
      [{ scene: 'a', page: '/pages/index/index' }, 41030],
      [{ scene: 'a', page: 'pages/draft' }, 41030],
      [{ scene: 'a', env_version: '' }, 40097],
      [{ scene: 'a', check_path: 'false' }, 47001],
    ] as const) {
      const res = await post(body);
      expect(res.headers['content-type']).toBe('application/json; encoding=utf-8');
      expect(await res.body.json()).toMatchObject({ errcode });
    }
    const official = await stableToken(emulator);
    expectErrcode(
      await postJson(emulator, WXACODE_UNLIMIT_API, { access_token: official }, { scene: 'a' }),
      48001,
    );
  });

  it('links expire within 30 days (85401, 85402)', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator, MINI);
    const link = (body: object) =>
      postJson(emulator, GENERATE_URLLINK_API, { access_token: token }, body);
    const nowS = Math.floor(clock.now() / 1000);
    expectErrcode(await link({ expire_type: 1, expire_interval: 31 }), 85402);
    expectErrcode(await link({ expire_type: 0, expire_time: clock.now() + 3_600_000 }), 85401);
    expectErrcode(await link({ path: 'pages/nope', expire_type: 1, expire_interval: 1 }), 40165);
    const ok = await link({ path: 'pages/index/index', expire_type: 0, expire_time: nowS + 3600 });
    const url = String(ok.body.url_link);
    expect(emulator.linkTarget(url)).toMatchObject({ path: 'pages/index/index' });
    clock.advance(3600 * SECOND);
    expect(emulator.linkTarget(url)).toBeUndefined();
  });
});

describe('phone-number codes', () => {
  const fx = useEmulator();

  it('work once, for 5 minutes, for their own app and user', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator, MINI);
    const exchange = (body: object) =>
      postJson(emulator, PHONE_NUMBER_API, { access_token: token }, body);
    const minted = emulator.mintPhoneCode(MINI.appId, { phoneNumber: '13800001111' });
    expectErrcode(
      await exchange({ code: minted.code, openid: 'oSomeoneElse00000000000001' }),
      40029,
    );
    const ok = await exchange({ code: minted.code, openid: minted.openid });
    expect(ok.body).toMatchObject({
      errcode: 0,
      phone_info: {
        phoneNumber: '13800001111',
        purePhoneNumber: '13800001111',
        countryCode: '86',
        watermark: { appid: MINI.appId },
      },
    });
    expectErrcode(await exchange({ code: minted.code }), 40029);
    const late = emulator.mintPhoneCode(MINI.appId);
    clock.advance(5 * 60 * SECOND);
    expectErrcode(await exchange({ code: late.code }), 40029);
    expect(() => emulator.mintPhoneCode(OFFICIAL.appId)).toThrow(RangeError);
  });
});

describe('tags', () => {
  const fx = useEmulator();

  it('names ≤ 30 bytes and unique, system tags fixed, batches ≤ 50, remarks ≤ 30 bytes', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const post = (path: string, body: object) =>
      postJson(emulator, path, { access_token: token }, body);
    expectErrcode(await post(TAGS_CREATE_API, { tag: { name: '一二三四五六七八九十一' } }), 45158);
    expectErrcode(await post(TAGS_CREATE_API, { tag: { name: '星标组' } }), 45157);
    expectErrcode(await post(TAGS_UPDATE_API, { tag: { id: 2, name: 'x' } }), 45058);
    const followers = emulator.followerOpenids(OFFICIAL.appId);
    expectErrcode(
      await post(TAGS_BATCH_TAG_API, { tagid: 100, openid_list: followers.slice(0, 51) }),
      40032,
    );
    expectErrcode(await post(TAGS_BATCH_TAG_API, { tagid: 100, openid_list: [] }), 40032);
    const miniUser = emulator.mintJsCode(MINI.appId).openid;
    expectErrcode(await post(TAGS_BATCH_TAG_API, { tagid: 100, openid_list: [miniUser] }), 49003);
    expectErrcode(
      await post(UPDATE_REMARK_API, { openid: followers[0], remark: '一二三四五六七八九十一' }),
      40092,
    );
    expect(
      (await post(UPDATE_REMARK_API, { openid: followers[0], remark: '一二三四五六七八九十' })).body
        .errcode,
    ).toBe(0);
  });
});

describe('faults on the new endpoints', () => {
  const fx = useEmulator();

  it('failNext and dropResponseNext apply to them like to any path', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const body = { tag: { name: 'fault-test' } };
    emulator.failNext(TAGS_CREATE_API, 1, { errcode: -1 });
    expectErrcode(await postJson(emulator, TAGS_CREATE_API, { access_token: token }, body), -1);
    emulator.dropResponseNext(TAGS_CREATE_API);
    await expect(
      postJson(emulator, TAGS_CREATE_API, { access_token: token }, body),
    ).rejects.toThrow();
    // The dropped request was carried out: the name is now taken.
    expectErrcode(await postJson(emulator, TAGS_CREATE_API, { access_token: token }, body), 45157);
    expect(emulator.calls(TAGS_CREATE_API)).toBe(3);
  });
});
