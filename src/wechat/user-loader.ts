/**
 * The user look-ups of one GraphQL operation: de-duplicated per app by a DataLoader that lives as
 * long as the operation, and capped at `maxUsers` distinct users. Each loader hands its keys to
 * the app's process-wide batcher (user-batcher.ts), which merges them with other operations'
 * into batchget calls of ≤100 users. Creating the loaders is cheap and does no I/O; each app's
 * loader is made on first use.
 */
import DataLoader from 'dataloader';
import { queryTooComplex } from '../shared/graphql-errors.js';
import { BATCHGET_MAX_USERS } from './api.js';
import { SPLIT_BUDGET, type BatchOwner, type UserBatcher, type UserKey } from './user-batcher.js';
import type { RawUserInfo } from './types.js';

export type { UserKey } from './user-batcher.js';

export type UserLoader = DataLoader<UserKey, RawUserInfo, string>;

/**
 * The app each loaded user record came from, for fields that need the app again (`tags`). Weak:
 * a record leaves with the operation, or with the cache entry holding it.
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
interface Allowance extends BatchOwner {
  readonly limit: number;
  left: number;
}

function createUserLoader(batcher: UserBatcher, allowance: Allowance): UserLoader {
  return new DataLoader<UserKey, RawUserInfo, string>(
    // Keys reaching here are distinct (the loader caches), so the allowance counts distinct users.
    async (keys) => {
      if (keys.length > allowance.left) return keys.map(() => tooManyUsers(allowance.limit));
      allowance.left -= keys.length;
      const users = await batcher.load(keys, allowance);
      for (const user of users) if (!(user instanceof Error)) owners.set(user, batcher.app);
      return users;
    },
    { maxBatchSize: BATCHGET_MAX_USERS, cacheKeyFn: userCacheKey },
  );
}

/**
 * One operation's user loaders, one per app. They share one allowance: `maxUsers` distinct users
 * and SPLIT_BUDGET extra calls for the whole operation, whichever apps it asks.
 */
export function createUserLoaders(maxUsers: number): (batcher: UserBatcher) => UserLoader {
  const allowance: Allowance = { limit: maxUsers, left: maxUsers, splits: { calls: SPLIT_BUDGET } };
  const loaders = new Map<string, UserLoader>();
  return (batcher) => {
    let loader = loaders.get(batcher.app);
    if (!loader) {
      loader = createUserLoader(batcher, allowance);
      loaders.set(batcher.app, loader);
    }
    return loader;
  };
}
