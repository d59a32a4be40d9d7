/**
 * The optional user cache (USER_CACHE_TTL): a hit costs no upstream call and no store command;
 * entries end with their TTL (the manual clock), with a follow or unfollow event, and with this
 * instance's remark and tag mutations. Off by default.
 */
import { describe, expect, it, vi } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { createManualClock } from '../../src/shared/clock.js';
import type { TokenStore } from '../../src/store/store.js';
import { createUserCache } from '../../src/wechat/user-cache.js';
import type { RawUserInfo } from '../../src/wechat/types.js';
import { CALLBACK, GH_ID, postPush } from '../events/helpers.js';
import { MINUTE } from '../support/time.js';
import { BATCHGET_API } from '../support/wechat-api.js';
import { useGateway, type Gateway } from '../support/harness.js';

/** Generous: on a loaded machine a published message may take a while to arrive. */
const POLL = { timeout: 10_000, interval: 20 };

const TTL_MS = 5 * MINUTE;

/** The store, with every command it was given counted. */
function countingStore(store: TokenStore, counter: { commands: number }): TokenStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => {
        counter.commands += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

interface UserJson {
  openid: string;
  remark: string | null;
  tagIds: number[];
}

const USER = 'query ($o: String!) { userInfo(openid: $o) { openid remark tagIds } }';

/** Looks the user up; returns it and the batchget calls the look-up cost. */
async function lookUp(gw: Gateway, openid: string): Promise<{ user?: UserJson; calls: number }> {
  const before = gw.emulator.calls(BATCHGET_API);
  const res = await gw.query<{ userInfo: UserJson }>(USER, { variables: { o: openid } });
  expect(res.body.errors).toBeUndefined();
  return { user: res.body.data?.userInfo, calls: gw.emulator.calls(BATCHGET_API) - before };
}

const costOf = async (gw: Gateway, openid: string) => (await lookUp(gw, openid)).calls;

async function mutate(gw: Gateway, mutation: string, variables: Record<string, unknown>) {
  const res = await gw.query(mutation, { variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

describe('the user cache', () => {
  const store = { commands: 0 };
  const fx = useGateway({
    users: { cache: { ttlMs: TTL_MS, maxEntries: 100 } },
    wrapStore: (inner) => countingStore(inner, store),
    events: { callbacks: { official: CALLBACK } },
  });
  const follower = (i = 0) => fx.gw.emulator.followerOpenids(fx.gw.official.appId)[i] ?? '';

  it('answers a repeated look-up without WeChat or the store, until the TTL ends', async () => {
    const openid = follower();
    expect(await costOf(fx.gw, openid)).toBe(1);
    store.commands = 0;
    expect(await costOf(fx.gw, openid)).toBe(0);
    expect(store.commands).toBe(0);

    fx.gw.clock.advance(TTL_MS - 1);
    expect(await costOf(fx.gw, openid)).toBe(0);
    fx.gw.clock.advance(2);
    expect(await costOf(fx.gw, openid)).toBe(1);
    expect(await costOf(fx.gw, openid)).toBe(0);
  });

  it('keys entries by language: another lang is another look-up', async () => {
    const openid = follower();
    expect(await costOf(fx.gw, openid)).toBe(1);
    const before = fx.gw.emulator.calls(BATCHGET_API);
    await fx.gw.query('query ($o: String!) { userInfo(openid: $o, lang: EN) { openid } }', {
      variables: { o: openid },
    });
    expect(fx.gw.emulator.calls(BATCHGET_API) - before).toBe(1);
  });

  it.each([
    ['unfollow', pushMessages.unfollow],
    ['follow', pushMessages.follow],
  ] as const)('drops a user on a %s event', async (_kind, message) => {
    const openid = follower(3);
    expect(await costOf(fx.gw, openid)).toBe(1);
    expect(await costOf(fx.gw, openid)).toBe(0);
    const pushed = await postPush(
      fx.gw.yoga.fetch,
      'http://gateway.test',
      fx.gw.clock.now(),
      message({ to: GH_ID, openid, createTime: Math.floor(fx.gw.clock.now() / 1000) }),
    );
    expect(pushed.status).toBe(200);
    // The hook hears the event from the log's fan-out, a moment after the push was answered:
    // look up until one look-up reaches WeChat again (each look-up before that costs nothing).
    let calls = 0;
    await expect
      .poll(async () => {
        calls += await costOf(fx.gw, openid);
        return calls;
      }, POLL)
      .toBe(1);
    // Cached again.
    expect(await costOf(fx.gw, openid)).toBe(0);
  });

  it('drops a user whose remark this instance set', async () => {
    const openid = follower(5);
    await lookUp(fx.gw, openid);
    await mutate(fx.gw, 'mutation ($o: String!) { setUserRemark(openid: $o, remark: "vip") }', {
      o: openid,
    });
    const after = await lookUp(fx.gw, openid);
    expect(after).toEqual({ user: expect.objectContaining({ remark: 'vip' }), calls: 1 });
  });

  it('does not keep what a look-up read before a drop that happened while it was on its way', async () => {
    const openid = follower(6);
    fx.gw.emulator.setLatency(BATCHGET_API, 1000);
    const slow = lookUp(fx.gw, openid);
    // WeChat has the call (counted on arrival) and answers in a second: drop the user meanwhile.
    await vi.waitFor(() => expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1));
    await mutate(fx.gw, 'mutation ($o: String!) { setUserRemark(openid: $o, remark: "new") }', {
      o: openid,
    });
    expect(await slow).toMatchObject({ calls: 1 });
    fx.gw.emulator.setLatency(BATCHGET_API, 0);
    expect(await lookUp(fx.gw, openid)).toEqual({
      user: expect.objectContaining({ remark: 'new' }),
      calls: 1,
    });
  });

  it('keeps what a look-up read when another user was dropped while it was on its way', async () => {
    const [openid, other] = [follower(9), follower(10)];
    fx.gw.emulator.setLatency(BATCHGET_API, 1000);
    const slow = lookUp(fx.gw, openid);
    await vi.waitFor(() => expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1));
    // A drop of another user (here a remark; on a fleet, a late note from another instance).
    await mutate(fx.gw, 'mutation ($o: String!) { setUserRemark(openid: $o, remark: "x") }', {
      o: other,
    });
    expect(await slow).toMatchObject({ calls: 1 });
    fx.gw.emulator.setLatency(BATCHGET_API, 0);
    expect(await costOf(fx.gw, openid)).toBe(0);
  });

  it('drops users this instance tagged or untagged, and the holders of a deleted tag', async () => {
    const [a, b] = [follower(7), follower(8)];
    const created = await mutate(fx.gw, 'mutation { createTag(name: "cache-test") { id } }', {});
    const tagId = (created as { createTag: { id: number } }).createTag.id;
    const tagIds = async (openid: string) => (await lookUp(fx.gw, openid)).user?.tagIds ?? [];
    await lookUp(fx.gw, a);
    await lookUp(fx.gw, b);

    await mutate(
      fx.gw,
      'mutation ($t: Int!, $o: [String!]!) { tagUsers(tagId: $t, openids: $o) }',
      {
        t: tagId,
        o: [a, b],
      },
    );
    expect(await lookUp(fx.gw, a)).toMatchObject({ calls: 1 });
    expect(await tagIds(a)).toContain(tagId);
    expect(await tagIds(b)).toContain(tagId);

    await mutate(
      fx.gw,
      'mutation ($t: Int!, $o: [String!]!) { untagUsers(tagId: $t, openids: $o) }',
      { t: tagId, o: [a] },
    );
    expect(await lookUp(fx.gw, a)).toMatchObject({ calls: 1 });
    expect(await tagIds(a)).not.toContain(tagId);

    // b still carries the tag (cached); a does not and stays cached.
    expect(await costOf(fx.gw, b)).toBe(0);
    await mutate(fx.gw, 'mutation ($t: Int!) { deleteTag(tagId: $t) }', { t: tagId });
    expect(await costOf(fx.gw, a)).toBe(0);
    const reloaded = await lookUp(fx.gw, b);
    expect(reloaded.calls).toBe(1);
    expect(reloaded.user?.tagIds).not.toContain(tagId);
  });
});

describe('without USER_CACHE_TTL', () => {
  const fx = useGateway();

  it('reaches WeChat on every look-up', async () => {
    const openid = fx.gw.emulator.followerOpenids(fx.gw.official.appId)[0] ?? '';
    for (let i = 0; i < 3; i++) expect(await costOf(fx.gw, openid)).toBe(1);
  });
});

describe('drops while a look-up is on its way', () => {
  const user = (openid: string, tagid_list: number[] = []): RawUserInfo => ({
    openid,
    subscribe: 1,
    tagid_list,
  });
  const cacheOf = () => createUserCache({ ttlMs: TTL_MS, maxEntries: 100 }, createManualClock());

  it('stop caching only the users they concern', () => {
    const cache = cacheOf();
    const lookup = cache.startLookup('official', ['oA', 'oB']);
    cache.forget('official', ['oB']);
    cache.forget('mini', ['oA']);
    lookup.keep('zh_CN', user('oA'));
    lookup.keep('zh_CN', user('oB'));
    lookup.end();
    expect(cache.get('official', 'zh_CN', 'oA')).toBeDefined();
    expect(cache.get('official', 'zh_CN', 'oB')).toBeUndefined();
  });

  it('of a deleted tag stop caching every look-up of that app, whose tags are not known yet', () => {
    const cache = cacheOf();
    const official = cache.startLookup('official', ['oA']);
    const mini = cache.startLookup('mini', ['oA']);
    cache.forgetTag('official', 7);
    official.keep('zh_CN', user('oA', [7]));
    mini.keep('zh_CN', user('oA'));
    expect(cache.get('official', 'zh_CN', 'oA')).toBeUndefined();
    expect(cache.get('mini', 'zh_CN', 'oA')).toBeDefined();
  });

  it('are counted only while a look-up is out: a later look-up of a dropped user is kept', () => {
    const cache = cacheOf();
    const first = cache.startLookup('official', ['oA']);
    const second = cache.startLookup('official', ['oA']);
    cache.forget('official', ['oA']);
    first.end();
    second.end();
    // Nothing left in flight, nothing remembered: the next look-up starts clean.
    const third = cache.startLookup('official', ['oA']);
    third.keep('zh_CN', user('oA'));
    expect(cache.get('official', 'zh_CN', 'oA')).toBeDefined();
    // An ended look-up keeps nothing.
    third.end();
    cache.forget('official', ['oA']);
    third.keep('zh_CN', user('oA'));
    expect(cache.get('official', 'zh_CN', 'oA')).toBeUndefined();
  });
});
