/**
 * What each root field may cost upstream, for the operation's budget (src/http/upstream-budget.ts,
 * UPSTREAM_BUDGET_PER_OPERATION): one row per root field, read before anything runs, from the
 * field's coerced arguments and its selection. The rule: count every WeChat call the resolvers
 * make for it, as they make them; a field its own input check refuses (a `first` out of range)
 * makes none. Not counted: token and ticket fetches (shared, single-flight) and the retries the
 * http layer and the token provider bound themselves. A new root field needs a row: createApp
 * refuses to start without one.
 */
import type { FieldUse, UpstreamCostTable } from '../http/upstream-budget.js';
import { TAG_BATCH_SIZE } from '../wechat/tags.js';
import { BATCHGET_MAX_USERS } from '../wechat/api.js';
import { USER_GET_PAGE_SIZE } from './query/followers.js';
import { MAX_USERS_PER_FIELD } from './query/users.js';
import { MAX_TAG_OPENIDS } from './tag-input.js';

const ONE = () => ({ calls: 1 });
const NONE = () => ({});

/** A list argument's length when the resolver accepts it (1 to `max`), else 0: it is refused. */
function accepted(list: unknown, max: number): number {
  const length = Array.isArray(list) ? list.length : 0;
  return length >= 1 && length <= max ? length : 0;
}

/** A page's `first` when the resolver accepts it (1 to 10 000), else 0. */
function pageSize(field: FieldUse): number {
  const first = field.args['first'];
  return typeof first === 'number' && first >= 1 && first <= USER_GET_PAGE_SIZE ? first : 0;
}

/** The tag list behind `WechatUser.tags` (cached per app; counted once per field). */
const userTags = (field: FieldUse, ...path: string[]): number =>
  field.selects(...path, 'tags') ? 1 : 0;

/**
 * A page of followers (or of a tag's members): its users are loaded once the page is back, so
 * their batchget calls are the field's own (one per 100), not merged with the other fields'.
 */
function pageUsers(field: FieldUse, size: number): number {
  const nodes = field.selects('nodes') || field.selects('edges', 'node');
  if (!nodes || size === 0) return 0;
  return (
    Math.ceil(size / BATCHGET_MAX_USERS) +
    Math.max(userTags(field, 'nodes'), userTags(field, 'edges', 'node'))
  );
}

/** Tagging 1–500 users: one call per 50, one after another. */
function tagBatches(field: FieldUse) {
  return { calls: Math.ceil(accepted(field.args['openids'], MAX_TAG_OPENIDS) / TAG_BATCH_SIZE) };
}

/** `openid` and `login`: the code exchange, and `/sns/userinfo` when the profile is selected. */
function codeExchange(field: FieldUse) {
  return { calls: 1 + (field.selects('profile') ? 1 : 0) };
}

// prettier-ignore -- one row per root field reads as a table
export const UPSTREAM_COSTS: UpstreamCostTable = {
  Query: {
    accessToken: NONE, // the cached token; a fetch is the provider's, shared by every caller
    events: NONE, // the event log, not WeChat
    followers: (field) => {
      const size = pageSize(field);
      return { calls: (size > 0 ? 1 : 0) + pageUsers(field, size) }; // one user/get: ≤10 000
    },
    jsapiConfig: NONE, // the cached jsapi_ticket, fetched once for every caller
    massStatus: ONE,
    me: (field) => ({ lookups: field.selects('user') ? 1 : 0, calls: userTags(field, 'user') }),
    miniProgramCode: ONE,
    openid: codeExchange,
    phoneNumber: ONE,
    tags: ONE,
    tokenStatus: NONE, // the store
    userInfo: (field) => ({ lookups: 1, calls: userTags(field) }),
    users: (field) => ({
      lookups: accepted(field.args['openids'], MAX_USERS_PER_FIELD),
      calls: userTags(field),
    }),
    usersByTag: (field) => {
      const size = pageSize(field);
      return { calls: size > 0 ? 2 + pageUsers(field, size) : 0 }; // user/tag/get + the tag list
    },
  },
  Mutation: {
    createQrCode: ONE,
    createTag: ONE,
    deleteTag: ONE,
    login: codeExchange,
    logout: NONE,
    massDelete: ONE,
    massPreview: ONE,
    massSend: ONE, // one call whatever the audience: WeChat fans it out
    miniProgramLink: ONE,
    refreshAccessToken: ONE, // a token call
    renameTag: () => ({ calls: 2 }), // the rename, then the tag list for the new name
    resetTokenBreaker: NONE,
    sendSubscribeMessage: ONE,
    sendTemplateMessage: ONE,
    setUserRemark: ONE,
    tagUsers: tagBatches,
    untagUsers: tagBatches,
  },
  Subscription: {
    wechatEvents: NONE, // the event log
  },
};
