import { describe, expect, it, vi } from 'vitest';
import { codesOf, startGateway, useGateway } from '../support/harness.js';
import { BATCHGET_API, USER_INFO_API } from '../support/wechat-api.js';

interface User {
  openid: string;
  subscribed: boolean;
  subscribedAt: string | null;
  tagIds: number[];
}

/**
 * Users the emulator seeds for the official sandbox app (seed 1; src/emulator/seed-data.ts), written
 * out as a client must see them. Literal on purpose: an expectation computed from the WeChat
 * record with the gateway's own rules would agree with any mistake in those rules.
 */
const ALL_FIELDS =
  'openid subscribed unionid language subscribedAt remark tagIds subscribeScene qrScene qrSceneStr';

/** Follower #217: every optional field set, a QR follow with a string scene. */
const EVERY_FIELD_SET = {
  openid: 'ogCuwj1f5mCjDkBJAYb9jdZjmljB',
  subscribed: true,
  unionid: 'oUn1dUqw_Qrn_aAQTivq7NXAk-1i',
  language: 'zh_CN',
  subscribedAt: '2023-07-08T13:56:34.000Z',
  remark: 'beta tester',
  tagIds: [2, 103],
  subscribeScene: 'ADD_SCENE_QR_CODE',
  qrScene: 86965,
  qrSceneStr: 'promo-49',
};

/** Follower #67: a QR follow without a string scene (WeChat sends ""). */
const SOME_FIELDS_SET = {
  openid: 'ogCuwjMk7eYEJsdXpUp42449Vcwq',
  subscribed: true,
  unionid: 'oUn1daOAFcQE-SLMBeP6DE8hvaJz',
  language: 'zh_TW',
  subscribedAt: '2018-03-05T08:50:54.000Z',
  remark: '老客户',
  tagIds: [2],
  subscribeScene: 'ADD_SCENE_QR_CODE',
  qrScene: 4069,
  qrSceneStr: null,
};

/** Follower #13: no unionid, remark or tag, not a QR follow (WeChat sends "", 0 and []). */
const NOTHING_SET = {
  openid: 'ogCuwjVLkIy92GqdfDsjAtUwlVYp',
  subscribed: true,
  unionid: null,
  language: 'zh_CN',
  subscribedAt: '2016-09-04T10:28:37.000Z',
  remark: null,
  tagIds: [],
  subscribeScene: 'ADD_SCENE_PROFILE_CARD',
  qrScene: null,
  qrSceneStr: null,
};

/** The first ex-follower: WeChat reports only the openid, the unionid and subscribe: 0. */
const NOT_FOLLOWING = {
  openid: 'ogCuwjAdqPF7ospF_nzlemmOHK9l',
  subscribed: false,
  unionid: 'oUn1dWiYwDW1rT_355Xn_RQQVg6Y',
  language: null,
  subscribedAt: null,
  remark: null,
  tagIds: [],
  subscribeScene: null,
  qrScene: null,
  qrSceneStr: null,
};

describe('userInfo and users', () => {
  const fx = useGateway();
  const followers = () => fx.gw.emulator.followerOpenids(fx.gw.official.appId);
  const nonFollowers = () => fx.gw.emulator.unsubscribedOpenids(fx.gw.official.appId);

  it('returns a follower with every field mapped from WeChat', async () => {
    const res = await fx.gw.query(
      `query ($openid: String!) { userInfo(openid: $openid) { ${ALL_FIELDS} } }`,
      { variables: { openid: EVERY_FIELD_SET.openid } },
    );
    expect(res.body).toEqual({ data: { userInfo: EVERY_FIELD_SET } });
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1);
    expect(fx.gw.emulator.calls(USER_INFO_API)).toBe(0);
  });

  it('shows the "" and 0 WeChat sends for unset fields as null', async () => {
    const res = await fx.gw.query(
      `query ($openids: [String!]!) { users(openids: $openids) { ${ALL_FIELDS} } }`,
      { variables: { openids: [SOME_FIELDS_SET.openid, NOTHING_SET.openid] } },
    );
    expect(res.body).toEqual({ data: { users: [SOME_FIELDS_SET, NOTHING_SET] } });
  });

  it('returns a user who does not follow with subscribed: false', async () => {
    const res = await fx.gw.query(
      `query ($openid: String!) { userInfo(openid: $openid) { ${ALL_FIELDS} } }`,
      { variables: { openid: NOT_FOLLOWING.openid } },
    );
    expect(res.body).toEqual({ data: { userInfo: NOT_FOLLOWING } });
  });

  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('loads %i users with %i batchget call(s)', async (count, calls) => {
    const openids = followers().slice(0, count);
    expect(openids).toHaveLength(count);
    const res = await fx.gw.query<{ users: User[] }>(
      'query ($openids: [String!]!) { users(openids: $openids) { openid subscribed } }',
      { variables: { openids } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.users.map((user) => user.openid)).toEqual(openids);
    expect(res.body.data?.users.every((user) => user.subscribed)).toBe(true);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(calls);
  });

  it('keeps order and duplicates, and batches aliases, users and nested look-ups together', async () => {
    const [a = '', b = '', c = ''] = followers();
    const [stranger = ''] = nonFollowers();
    const res = await fx.gw.query<Record<string, User | User[]>>(
      `{
        first: userInfo(openid: "${b}") { openid }
        second: userInfo(openid: "${a}") { openid }
        list: users(openids: ["${c}", "${a}", "${c}", "${stranger}"]) { openid subscribed }
        page: followers(first: 2) { nodes { openid } }
      }`,
    );
    expect(res.body).toEqual({
      data: {
        first: { openid: b },
        second: { openid: a },
        list: [
          { openid: c, subscribed: true },
          { openid: a, subscribed: true },
          { openid: c, subscribed: true },
          { openid: stranger, subscribed: false },
        ],
        page: { nodes: [{ openid: a }, { openid: b }] },
      },
    });
    // userInfo, users and follower nodes share the request's loader: 4 distinct users, 1 call.
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1);
  });

  it('blames an unknown openid on its own field, not on the rest of the batch', async () => {
    const [a = '', b = ''] = followers();
    const unknown = 'oUnknownUserUnknownUser00001';
    const res = await fx.gw.query(
      `{ good: userInfo(openid: "${a}") { openid } list: users(openids: ["${b}", "${unknown}"]) { openid } }`,
    );
    // WeChat fails the whole batch [a, b, unknown] with 40003; one halving finds the culprit.
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: ['list'],
        extensions: { code: 'BAD_USER_INPUT', wechat: { errcode: 40003, rid: expect.any(String) } },
      }),
    ]);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(3);
  });

  it('spends at most 14 extra calls per operation looking for unknown openids', async () => {
    const unknown = Array.from(
      { length: 250 },
      (_, i) => `oUnknownUser${String(i).padStart(16, '0')}`,
    );
    const res = await fx.gw.query(
      'query ($openids: [String!]!) { users(openids: $openids) { openid } }',
      { variables: { openids: unknown } },
    );
    expect(res.body.data).toBeNull();
    expect(new Set(codesOf(res.body))).toEqual(new Set(['BAD_USER_INPUT']));
    // Three batches of ≤100, plus at most the operation's splitting budget of 7 halvings.
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBeGreaterThan(3);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBeLessThanOrEqual(3 + 14);
  });

  it('answers an empty list without an upstream call', async () => {
    const res = await fx.gw.query('{ users(openids: []) { openid } }');
    expect(res.body).toEqual({ data: { users: [] } });
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('starts a new batch per request (loaders are per request)', async () => {
    const [openid = ''] = followers();
    await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(2);
  });

  it('rejects a malformed openid before calling WeChat', async () => {
    const [openid = ''] = followers();
    const res = await fx.gw.query(`{ users(openids: ["${openid}", "bad openid[1]"]) { openid } }`);
    expect(res.body.data).toBeNull();
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toMatch(/^"openids\[1\]" must be a WeChat openid/);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('caps users at 1000 openids per field', async () => {
    const openids = Array.from({ length: 1001 }, (_, i) => `o${i}`);
    const res = await fx.gw.query(
      'query ($openids: [String!]!) { users(openids: $openids) { openid } }',
      { variables: { openids } },
    );
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      '"openids" may hold at most 1000 openids (got 1001).',
    );
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('refuses user look-ups on a mini program', async () => {
    const res = await fx.gw.query('{ userInfo(openid: "o123", app: "miniprogram") { openid } }');
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      '"userInfo" needs an official account, but app "miniprogram" is a mini program.',
    );
  });

  it('names the configured apps when asked for an unknown one', async () => {
    const res = await fx.gw.query('{ userInfo(openid: "o123", app: "shop") { openid } }');
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      'Unknown app "shop". Configured apps: "official", "miniprogram".',
    );
  });

  it('treats an explicit lang: null as the default language', async () => {
    const [openid = ''] = followers();
    const res = await fx.gw.query(`{ userInfo(openid: "${openid}", lang: null) { openid } }`);
    expect(res.body).toEqual({ data: { userInfo: { openid } } });
  });
});

describe('users per operation', () => {
  it('caps the distinct users one operation loads, whatever the aliases', async () => {
    const gw = await startGateway({ queryLimits: { maxUsers: 150 } });
    try {
      const all = gw.emulator.followerOpenids(gw.official.appId);
      const query =
        'query ($a: [String!]!, $b: [String!]!) { a: users(openids: $a) { openid } b: users(openids: $b) { openid } }';
      // 150 distinct users, duplicates across aliases counted once: allowed, two calls.
      const fits = await gw.query(query, {
        variables: { a: all.slice(0, 100), b: all.slice(0, 150) },
      });
      expect(fits.body.errors).toBeUndefined();
      expect(gw.emulator.calls(BATCHGET_API)).toBe(2);

      gw.emulator.resetCalls();
      const tooMany = await gw.query(query, {
        variables: { a: all.slice(0, 100), b: all.slice(100, 151) },
      });
      expect(tooMany.body.data).toBeNull();
      expect(tooMany.body.errors?.[0]).toMatchObject({
        message: 'The operation looks up more than 150 distinct users; split it.',
        path: ['b'],
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
      // The batch that fits runs (graphql-js may answer before it ends, as the root is non-null);
      // the one beyond the allowance never reaches WeChat.
      // Both batches were dispatched together, so once the first call arrives the second batch
      // has already been refused.
      await vi.waitFor(() => expect(gw.emulator.calls(BATCHGET_API)).toBe(1));
      expect(gw.logs.join('')).not.toContain('unexpected error');
    } finally {
      await gw.close();
    }
  });
});
