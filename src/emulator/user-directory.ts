import { appPrng, generateUser, seedUsers, type EmulatedUser } from './seed-data.js';
import { isUsableOpenid, newOpenid, openidPrefix } from './identifiers.js';

/** The users one app knows: seeded followers, seeded ex-followers, and users met later via login. */
export interface UserDirectory {
  get(openid: string): EmulatedUser | undefined;
  /** Followers in user/get order. */
  readonly followerOpenids: readonly string[];
  readonly unsubscribedOpenids: readonly string[];
  /** Index of a follower in `followerOpenids`, or -1. */
  followerIndex(openid: string): number;
  /**
   * The user with this openid, created as a non-follower if unknown (a user who never followed
   * can still log in through OAuth or a mini program). No openid → a brand-new user.
   */
  getOrCreate(openid?: string): EmulatedUser;
}

export function createUserDirectory(seed: number, appId: string, followers: number): UserDirectory {
  const seeded = seedUsers(seed, appId, followers);
  const users = new Map<string, EmulatedUser>();
  const followerIndexes = new Map<string, number>();
  seeded.followers.forEach((user, index) => {
    users.set(user.openid, user);
    followerIndexes.set(user.openid, index);
  });
  for (const user of seeded.unsubscribed) users.set(user.openid, user);
  const followerOpenids = Object.freeze(seeded.followers.map((user) => user.openid));
  const unsubscribedOpenids = Object.freeze(seeded.unsubscribed.map((user) => user.openid));
  // A separate stream, so users met later never shift the seeded ones.
  const laterPrng = appPrng(seed, appId, 'later-users');
  const prefix = openidPrefix(appId);

  return {
    get: (openid) => users.get(openid),
    followerOpenids,
    unsubscribedOpenids,
    followerIndex: (openid) => followerIndexes.get(openid) ?? -1,
    getOrCreate(openid) {
      if (openid !== undefined) {
        const known = users.get(openid);
        if (known) return known;
        if (!isUsableOpenid(openid)) {
          throw new RangeError(`openid must be 6-64 characters of [A-Za-z0-9_-]`);
        }
      }
      let id = openid ?? newOpenid(prefix, laterPrng);
      while (users.has(id)) id = newOpenid(prefix, laterPrng);
      const user = generateUser(laterPrng, id, false);
      users.set(id, user);
      return user;
    },
  };
}
