/**
 * The user look-ups of one GraphQL operation, batched per app into batchget calls of ≤100 users.
 * The loaders are per operation (their cache must not outlive it), so creating them is cheap and
 * does no I/O; each app's loader is made on first use.
 */
import DataLoader from 'dataloader';
import { queryTooComplex } from '../errors.js';
import { BATCHGET_MAX_USERS } from './api.js';
import { errcodeRow } from './errcodes.js';
import { WechatApiError } from './errors.js';
import type { Lang, RawUserInfo, WechatApi } from './types.js';

export interface UserKey {
  openid: string;
  lang: Lang;
}

export type UserLoader = DataLoader<UserKey, RawUserInfo, string>;

/**
 * Extra batchget calls one operation may spend to find the openids WeChat does not know: enough
 * to isolate one bad openid among 100 (two calls per halving), bounded so bad input cannot
 * multiply upstream calls.
 */
const SPLIT_BUDGET = 2 * Math.ceil(Math.log2(BATCHGET_MAX_USERS));

/**
 * WeChat fails a whole batchget with 40003 when one openid is unknown. The batch mixes every
 * look-up of the request (other aliases and fields), so it is halved until the failure is pinned
 * on the unknown openids alone; the other users still load.
 */
async function loadUsers(
  api: WechatApi,
  keys: readonly UserKey[],
  budget: { calls: number },
): Promise<(RawUserInfo | Error)[]> {
  try {
    return await api.batchGetUserInfo(keys);
  } catch (error) {
    const unknownOpenid =
      error instanceof WechatApiError && errcodeRow(error.errcode).action === 'split-batch';
    if (!unknownOpenid || keys.length === 1 || budget.calls < 2) throw error;
    budget.calls -= 2;
    const middle = Math.ceil(keys.length / 2);
    const halves = await Promise.all(
      [keys.slice(0, middle), keys.slice(middle)].map((half) =>
        loadUsers(api, half, budget).catch((failure: unknown) =>
          half.map(() => (failure instanceof Error ? failure : error)),
        ),
      ),
    );
    return halves.flat();
  }
}

/**
 * The app each loaded user record came from, for fields that need the app again (`tags`). Weak:
 * records are per operation and leave with it.
 */
const owners = new WeakMap<RawUserInfo, string>();

/** The name of the app a user record was loaded for. */
export function appOfUser(user: RawUserInfo): string | undefined {
  return owners.get(user);
}

const tooManyUsers = (limit: number) =>
  queryTooComplex(`The operation looks up more than ${limit} distinct users; split it.`);

// Module-level: a loader is created per request, its options need not be.
const userCacheKey = (key: UserKey): string => `${key.lang}\u0000${key.openid}`;

/** What one operation may still spend, shared by its loaders for every app. */
interface Allowance {
  readonly limit: number;
  left: number;
  readonly splits: { calls: number };
}

function createUserLoader(api: WechatApi, allowance: Allowance): UserLoader {
  return new DataLoader<UserKey, RawUserInfo, string>(
    // One upstream call per batch; WechatApi returns the users in request order. Keys reaching
    // here are distinct (the loader caches), so the allowance counts distinct users.
    async (keys) => {
      if (keys.length > allowance.left) return keys.map(() => tooManyUsers(allowance.limit));
      allowance.left -= keys.length;
      const users = await loadUsers(api, keys, allowance.splits);
      for (const user of users) if (!(user instanceof Error)) owners.set(user, api.app.name);
      return users;
    },
    { maxBatchSize: BATCHGET_MAX_USERS, cacheKeyFn: userCacheKey },
  );
}

/**
 * One operation's user loaders, one per app. They share one allowance: `maxUsers` distinct users
 * and SPLIT_BUDGET extra calls for the whole operation, whichever apps it asks.
 */
export function createUserLoaders(maxUsers: number): (api: WechatApi) => UserLoader {
  const allowance: Allowance = { limit: maxUsers, left: maxUsers, splits: { calls: SPLIT_BUDGET } };
  const loaders = new Map<string, UserLoader>();
  return (api) => {
    let loader = loaders.get(api.app.name);
    if (!loader) {
      loader = createUserLoader(api, allowance);
      loaders.set(api.app.name, loader);
    }
    return loader;
  };
}
