import { describe, expect, it } from 'vitest';
import { OFFICIAL } from '../support/apps.js';
import { BATCHGET_API, FOLLOWERS_API, USER_INFO_API } from '../support/wechat-api.js';
import {
  arrayField,
  expectErrcode,
  get,
  postJson,
  prop,
  send,
  stableToken,
  useEmulator,
} from './helpers.js';

function followerAt(openids: readonly string[], index: number): string {
  const openid = openids[index];
  if (openid === undefined) throw new Error(`no follower #${index}`);
  return openid;
}

describe('GET /cgi-bin/user/info', () => {
  const fx = useEmulator();

  it('returns a follower’s record without errcode and without the fields removed in 2021', async () => {
    const openid = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 0);
    const res = await get(fx.emulator, USER_INFO_API, {
      access_token: await stableToken(fx.emulator),
      openid,
    });
    expect(res.body).toMatchObject({
      subscribe: 1,
      openid,
      language: expect.stringMatching(/^(zh_CN|zh_TW|en)$/),
      subscribe_time: expect.any(Number),
      remark: expect.any(String),
      groupid: 0,
      tagid_list: expect.any(Array),
      subscribe_scene: expect.stringMatching(/^ADD_SCENE_/),
      qr_scene: expect.any(Number),
      qr_scene_str: expect.any(String),
    });
    for (const removed of [
      'errcode',
      'errmsg',
      'nickname',
      'headimgurl',
      'sex',
      'city',
      'province',
      'country',
    ]) {
      expect(res.body).not.toHaveProperty(removed);
    }
  });

  it('returns only identity fields for a user who does not follow', async () => {
    const token = await stableToken(fx.emulator);
    const bodies = await Promise.all(
      fx.emulator.unsubscribedOpenids(OFFICIAL.appId).map(async (openid) => {
        const res = await get(fx.emulator, USER_INFO_API, { access_token: token, openid });
        return { openid, body: res.body };
      }),
    );
    expect(bodies.length).toBeGreaterThan(0);
    for (const { openid, body } of bodies) {
      const expected =
        body.unionid === undefined
          ? { subscribe: 0, openid, tagid_list: [] }
          : { subscribe: 0, openid, unionid: expect.stringMatching(/^o/), tagid_list: [] };
      expect(body).toStrictEqual(expected);
    }
    expect(bodies.some(({ body }) => body.unionid !== undefined)).toBe(true);
  });

  it.each(['zh_CN', 'zh_TW', 'en'])('accepts lang=%s', async (lang) => {
    const openid = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 1);
    const token = await stableToken(fx.emulator);
    const plain = await get(fx.emulator, USER_INFO_API, { access_token: token, openid });
    const withLang = await get(fx.emulator, USER_INFO_API, {
      access_token: token,
      openid,
      lang,
    });
    expect(withLang.body).toEqual(plain.body);
  });

  it('answers 41009 without an openid', async () => {
    const token = await stableToken(fx.emulator);
    expectErrcode(await get(fx.emulator, USER_INFO_API, { access_token: token }), 41009);
    expectErrcode(
      await get(fx.emulator, USER_INFO_API, { access_token: token, openid: '' }),
      41009,
    );
  });

  it('answers 40003 for unknown or malformed openids', async () => {
    const token = await stableToken(fx.emulator);
    const real = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 2);
    for (const openid of [
      'oNoSuchUser000000000000000000',
      `\r${real}`,
      `${real}[`,
      'oUn1dNotAnOpenidButAUnionid',
    ]) {
      expectErrcode(await get(fx.emulator, USER_INFO_API, { access_token: token, openid }), 40003);
    }
  });
});

describe('POST /cgi-bin/user/info/batchget', () => {
  const fx = useEmulator();

  const batch = async (userList: unknown) =>
    postJson(
      fx.emulator,
      BATCHGET_API,
      { access_token: await stableToken(fx.emulator) },
      {
        user_list: userList,
      },
    );

  it('answers 40032 for an empty, missing or over-100 list', async () => {
    const followers = fx.emulator.followerOpenids(OFFICIAL.appId);
    expectErrcode(await batch([]), 40032);
    expectErrcode(
      await postJson(
        fx.emulator,
        BATCHGET_API,
        { access_token: await stableToken(fx.emulator) },
        {},
      ),
      40032,
    );
    expectErrcode(await batch(followers.slice(0, 101).map((openid) => ({ openid }))), 40032);
  });

  it('returns one entry for one openid', async () => {
    const openid = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 3);
    const res = await batch([{ openid, lang: 'zh_CN' }]);
    expect(Object.keys(res.body)).toEqual(['user_info_list']);
    expect(arrayField(res, 'user_info_list')).toEqual([
      expect.objectContaining({ subscribe: 1, openid }),
    ]);
  });

  it('returns 100 entries in request order, non-followers as subscribe:0 stubs', async () => {
    const followers = fx.emulator.followerOpenids(OFFICIAL.appId).slice(0, 90);
    const others = fx.emulator.unsubscribedOpenids(OFFICIAL.appId).slice(0, 10);
    const requested = [...others, ...followers].reverse();
    expect(requested).toHaveLength(100);
    const res = await batch(requested.map((openid) => ({ openid })));
    const list = arrayField(res, 'user_info_list');
    expect(list.map((entry) => prop(entry, 'openid'))).toEqual(requested);
    expect(list.slice(0, 90).every((entry) => prop(entry, 'subscribe') === 1)).toBe(true);
    for (const entry of list.slice(90)) {
      expect(entry).toMatchObject({ subscribe: 0, tagid_list: [] });
      expect(entry).not.toHaveProperty('subscribe_time');
    }
  });

  it('fails the whole call with 40003 when one openid is bad', async () => {
    const followers = fx.emulator
      .followerOpenids(OFFICIAL.appId)
      .slice(0, 5)
      .map((openid) => ({ openid }));
    const res = await batch([...followers, { openid: 'o[bad' }]);
    expectErrcode(res, 40003);
    expect(res.body).not.toHaveProperty('user_info_list');
    expectErrcode(await batch([{ lang: 'en' }]), 40003);
  });

  it('answers 47001 for a body that is not JSON or a user_list that is not a list', async () => {
    const token = await stableToken(fx.emulator);
    expectErrcode(
      await send(fx.emulator, BATCHGET_API, {
        method: 'POST',
        query: { access_token: token },
        body: '{"user_list": [',
        contentType: 'application/json',
      }),
      47001,
    );
    expectErrcode(await batch('ogCuwj'), 47001);
  });

  it('reads the JSON body whatever the content type says', async () => {
    const openid = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 4);
    const res = await send(fx.emulator, BATCHGET_API, {
      method: 'POST',
      query: { access_token: await stableToken(fx.emulator) },
      body: JSON.stringify({ user_list: [{ openid }] }),
    });
    expect(arrayField(res, 'user_info_list')).toHaveLength(1);
  });

  it('requires POST', async () => {
    expectErrcode(
      await get(fx.emulator, BATCHGET_API, {
        access_token: await stableToken(fx.emulator),
      }),
      43002,
    );
  });
});

describe('GET /cgi-bin/user/get with the default 300 followers', () => {
  const fx = useEmulator();

  it('returns all followers on one page, then a terminal page without data', async () => {
    const token = await stableToken(fx.emulator);
    const first = await get(fx.emulator, FOLLOWERS_API, { access_token: token });
    const expected = fx.emulator.followerOpenids(OFFICIAL.appId);
    expect(first.body).toEqual({
      total: 300,
      count: 300,
      data: { openid: expected },
      next_openid: expected[299],
    });
    const terminal = await get(fx.emulator, FOLLOWERS_API, {
      access_token: token,
      next_openid: String(first.body.next_openid),
    });
    expect(terminal.body).toStrictEqual({ total: 300, count: 0, next_openid: '' });
  });

  it('treats an empty next_openid as the start and answers 40003 for an unknown one', async () => {
    const token = await stableToken(fx.emulator);
    const fromEmpty = await get(fx.emulator, FOLLOWERS_API, {
      access_token: token,
      next_openid: '',
    });
    expect(fromEmpty.body.count).toBe(300);
    const unsubscribed = fx.emulator.unsubscribedOpenids(OFFICIAL.appId)[0] ?? '';
    for (const next of ['oNoSuchUser000000000000000000', unsubscribed]) {
      expectErrcode(
        await get(fx.emulator, FOLLOWERS_API, { access_token: token, next_openid: next }),
        40003,
      );
    }
  });
});

describe('GET /cgi-bin/user/get paging', () => {
  const big = {
    appId: 'wx00000000000000d4',
    appSecret: 'big-secret',
    kind: 'official' as const,
    followers: 20_001,
  };
  const empty = {
    appId: 'wx00000000000000e5',
    appSecret: 'empty-secret',
    kind: 'official' as const,
    followers: 0,
  };
  const fx = useEmulator({ apps: [big, empty] });

  it('pages 10 000 openids at a time, next_openid being the last of each page', async () => {
    const token = await stableToken(fx.emulator, big);
    const seen: string[] = [];
    const counts: number[] = [];
    let next = '';
    for (;;) {
      const res = await get(fx.emulator, FOLLOWERS_API, {
        access_token: token,
        next_openid: next,
      });
      expect(res.body.total).toBe(20_001);
      counts.push(Number(res.body.count));
      if (res.body.count === 0) {
        expect(res.body).toStrictEqual({ total: 20_001, count: 0, next_openid: '' });
        break;
      }
      const page = prop(res.body.data, 'openid');
      if (!Array.isArray(page)) throw new Error(`no openid list in ${res.text}`);
      expect(res.body.next_openid).toBe(page[page.length - 1]);
      seen.push(...page.map(String));
      next = String(res.body.next_openid);
    }
    expect(counts).toEqual([10_000, 10_000, 1, 0]);
    expect(seen).toEqual(fx.emulator.followerOpenids(big.appId));
    expect(new Set(seen).size).toBe(20_001);
  });

  it('answers an account without followers with the terminal page at once', async () => {
    const res = await get(fx.emulator, FOLLOWERS_API, {
      access_token: await stableToken(fx.emulator, empty),
    });
    expect(res.body).toStrictEqual({ total: 0, count: 0, next_openid: '' });
  });
});

describe('user/info with legacyUserInfoFields', () => {
  const fx = useEmulator({ legacyUserInfoFields: true });

  it('sends the fields emptied in 2021 as empty values to followers only', async () => {
    const token = await stableToken(fx.emulator);
    const follower = followerAt(fx.emulator.followerOpenids(OFFICIAL.appId), 0);
    const stranger = followerAt(fx.emulator.unsubscribedOpenids(OFFICIAL.appId), 0);
    const emptied = { nickname: '', headimgurl: '', sex: 0, province: '', city: '', country: '' };
    const info = await get(fx.emulator, USER_INFO_API, {
      access_token: token,
      openid: follower,
    });
    expect(info.body).toMatchObject({ subscribe: 1, openid: follower, ...emptied });
    const res = await postJson(
      fx.emulator,
      BATCHGET_API,
      { access_token: token },
      { user_list: [{ openid: follower }, { openid: stranger }] },
    );
    const [first, second] = arrayField(res, 'user_info_list');
    expect(first).toStrictEqual(info.body);
    expect(second).toMatchObject({ subscribe: 0, openid: stranger });
    expect(second).not.toHaveProperty('nickname');
  });
});
