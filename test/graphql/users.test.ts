import { describe, expect, it, vi } from 'vitest';
import { codesOf, startGateway, useGateway } from './harness.js';

const BATCHGET = '/cgi-bin/user/info/batchget';

interface User {
  openid: string;
  subscribed: boolean;
  subscribedAt: string | null;
  tagIds: number[];
}

describe('userInfo and users', () => {
  const fx = useGateway();
  const followers = () => fx.gw.emulator.followerOpenids(fx.gw.official.appId);
  const nonFollowers = () => fx.gw.emulator.unsubscribedOpenids(fx.gw.official.appId);

  it('returns a follower with every field mapped from WeChat', async () => {
    const [openid = ''] = followers();
    const raw = await fx.gw.official.api.getUserInfo(openid, 'zh_CN');
    fx.gw.emulator.resetCalls();
    const res = await fx.gw.query(
      `query ($openid: String!) {
        userInfo(openid: $openid) {
          openid subscribed unionid language subscribedAt remark tagIds subscribeScene qrScene qrSceneStr
        }
      }`,
      { variables: { openid } },
    );
    expect(res.body).toEqual({
      data: {
        userInfo: {
          openid,
          subscribed: true,
          unionid: raw.unionid || null,
          language: raw.language || null,
          subscribedAt: new Date((raw.subscribe_time ?? 0) * 1000).toISOString(),
          remark: raw.remark || null,
          tagIds: raw.tagid_list ?? [],
          subscribeScene: raw.subscribe_scene || null,
          qrScene: raw.qr_scene || null,
          qrSceneStr: raw.qr_scene_str || null,
        },
      },
    });
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(1);
    expect(fx.gw.emulator.calls('/cgi-bin/user/info')).toBe(0);
  });

  it('returns a user who does not follow with subscribed: false', async () => {
    const [openid = ''] = nonFollowers();
    const res = await fx.gw.query(
      `{ userInfo(openid: "${openid}") { openid subscribed subscribedAt remark tagIds subscribeScene } }`,
    );
    expect(res.body).toEqual({
      data: {
        userInfo: {
          openid,
          subscribed: false,
          subscribedAt: null,
          remark: null,
          tagIds: [],
          subscribeScene: null,
        },
      },
    });
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
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(calls);
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
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(1);
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
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(3);
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
    expect(fx.gw.emulator.calls(BATCHGET)).toBeGreaterThan(3);
    expect(fx.gw.emulator.calls(BATCHGET)).toBeLessThanOrEqual(3 + 14);
  });

  it('answers an empty list without an upstream call', async () => {
    const res = await fx.gw.query('{ users(openids: []) { openid } }');
    expect(res.body).toEqual({ data: { users: [] } });
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(0);
  });

  it('starts a new batch per request (loaders are per request)', async () => {
    const [openid = ''] = followers();
    await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(2);
  });

  it('rejects a malformed openid before calling WeChat', async () => {
    const [openid = ''] = followers();
    const res = await fx.gw.query(`{ users(openids: ["${openid}", "bad openid[1]"]) { openid } }`);
    expect(res.body.data).toBeNull();
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toMatch(/^"openids\[1\]" must be a WeChat openid/);
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(0);
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
    expect(fx.gw.emulator.calls(BATCHGET)).toBe(0);
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
      expect(gw.emulator.calls(BATCHGET)).toBe(2);

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
      await vi.waitFor(() => expect(gw.emulator.calls(BATCHGET)).toBe(1));
      expect(gw.logs.join('')).not.toContain('unexpected error');
    } finally {
      await gw.close();
    }
  });
});
