import { describe, expect, it } from 'vitest';
import { codesOf, useGateway } from './harness.js';

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
