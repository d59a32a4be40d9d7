import { param } from './credentials.js';
import { fail, isRecord, ok, parseJsonObject, type Route } from './protocol.js';
import type { EmulatedUser } from './seed-data.js';
import type { TokenGuard } from './token-guard.js';

const PAGE_SIZE = 10_000;
const BATCH_MAX = 100;

/** What some servers still send for the fields emptied in 2021 (§3.3). */
const LEGACY_EMPTY_FIELDS = {
  nickname: '',
  sex: 0,
  city: '',
  country: '',
  province: '',
  headimgurl: '',
} as const;

export interface UserInfoOptions {
  /** Emit nickname, avatar, sex and region as empty values instead of omitting them (§3.3). */
  readonly legacyEmptyFields: boolean;
}

/**
 * §3.2 / §3.4: followers get the full record; everyone else only identity fields. Nickname,
 * avatar, sex and region are gone from this API since 2021: omitted by default, or present but
 * empty with `legacyEmptyFields`, as captures show both.
 */
export function userInfoBody(user: EmulatedUser, options: UserInfoOptions): object {
  if (!user.subscribed) {
    return user.unionid === undefined
      ? { subscribe: 0, openid: user.openid, tagid_list: [] }
      : { subscribe: 0, openid: user.openid, unionid: user.unionid, tagid_list: [] };
  }
  return {
    subscribe: 1,
    openid: user.openid,
    ...(options.legacyEmptyFields ? LEGACY_EMPTY_FIELDS : {}),
    language: user.language,
    subscribe_time: user.subscribeTime,
    ...(user.unionid === undefined ? {} : { unionid: user.unionid }),
    remark: user.remark,
    groupid: 0,
    tagid_list: [...user.tagIds],
    subscribe_scene: user.subscribeScene,
    qr_scene: user.qrScene,
    qr_scene_str: user.qrSceneStr,
  };
}

/**
 * `GET /cgi-bin/user/info` (§3). `lang` (zh_CN, zh_TW, en) only translated the region fields
 * WeChat no longer returns, so it is accepted and has no visible effect.
 */
export function createUserInfoRoute(guard: TokenGuard, options: UserInfoOptions): Route {
  return guard.route('GET', (req, app) => {
    const openid = param(req.query, 'openid');
    if (openid === undefined) return fail(41009);
    const user = app.users.get(openid);
    return user ? ok(userInfoBody(user, options)) : fail(40003);
  });
}

/** `POST /cgi-bin/user/info/batchget` (§4): all or nothing, results in request order. */
export function createBatchGetRoute(guard: TokenGuard, options: UserInfoOptions): Route {
  return guard.route('POST', (req, app) => {
    // WeChat parses the body as JSON whatever the Content-Type says.
    const body = parseJsonObject(req.body);
    if (body.kind === 'malformed') return fail(47001);
    const list = body.value.user_list;
    if (list !== undefined && !Array.isArray(list)) return fail(47001);
    if (list === undefined || list.length === 0 || list.length > BATCH_MAX) return fail(40032);
    const found: EmulatedUser[] = [];
    for (const entry of list) {
      if (!isRecord(entry) || typeof entry.openid !== 'string') return fail(40003);
      const user = app.users.get(entry.openid);
      if (!user) return fail(40003);
      found.push(user);
    }
    return ok({ user_info_list: found.map((user) => userInfoBody(user, options)) });
  });
}

/**
 * `GET /cgi-bin/user/get` (§5): pages of 10 000; `next_openid` is the last openid of the page,
 * and the call after the last page answers count 0 without `data`.
 */
export function createFollowersRoute(guard: TokenGuard): Route {
  return guard.route('GET', (req, app) => {
    const { users } = app;
    const next = param(req.query, 'next_openid');
    let start = 0;
    if (next !== undefined) {
      const index = users.followerIndex(next);
      if (index < 0) return fail(40003);
      start = index + 1;
    }
    const total = users.followerOpenids.length;
    const page = users.followerOpenids.slice(start, start + PAGE_SIZE);
    if (page.length === 0) return ok({ total, count: 0, next_openid: '' });
    return ok({
      total,
      count: page.length,
      data: { openid: page },
      next_openid: page[page.length - 1],
    });
  });
}
