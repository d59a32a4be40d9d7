/**
 * The optional in-process cache of user records (USER_CACHE_TTL), one for every app of the
 * gateway: keyed by app, lang and openid (openids are not secrets), bounded by entries and by an
 * estimate of the bytes it holds. A hit costs no upstream call and no store round trip. Entries
 * are dropped when their TTL ends, on follow and unfollow events (every instance hears them), and
 * by this instance's remark and tag mutations.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock.js';
import type { Lang, RawUserInfo } from './types.js';

export interface UserCacheOptions {
  /** 0: no cache (every look-up reaches WeChat). */
  ttlMs: number;
  maxEntries: number;
  /** Bytes, estimated per record; the cache stays below this whatever the records hold. */
  maxBytes?: number;
}

export const DEFAULT_USER_CACHE_MAX_ENTRIES = 20_000;
/** ~800 bytes per record estimated: room for the default entry count with long remarks. */
export const DEFAULT_USER_CACHE_MAX_BYTES = 16 * 1024 * 1024;

const LANGS: readonly Lang[] = ['zh_CN', 'zh_TW', 'en'];

export interface UserCache {
  /** False when USER_CACHE_TTL is 0: nothing is kept, nothing needs dropping. */
  readonly enabled: boolean;
  get(app: string, lang: Lang, openid: string): RawUserInfo | undefined;
  set(app: string, lang: Lang, user: RawUserInfo): void;
  /** Drops these users of the app, in every language. */
  forget(app: string, openids: readonly string[]): void;
  /** Drops the app's users whose tag list holds this tag (the tag was deleted). */
  forgetTag(app: string, tagId: number): void;
  /**
   * Bumped by every drop: a look-up that started before a drop answers its caller but does not
   * store what it read, which may predate the change.
   */
  generation(): number;
}

const keyOf = (app: string, lang: Lang, openid: string) => `${app}\u0000${lang}\u0000${openid}`;

/** Strings count twice (UTF-16), plus the object and key overhead; a rough, safe upper bound. */
function sizeOf(user: RawUserInfo, key: string): number {
  let size = 256 + 2 * key.length + 16 * (user.tagid_list?.length ?? 0);
  for (const value of Object.values(user)) if (typeof value === 'string') size += 2 * value.length;
  return size;
}

/** A cache that holds nothing: the default, and what USER_CACHE_TTL=0 means. */
const NO_CACHE: UserCache = {
  enabled: false,
  get: () => undefined,
  set: () => undefined,
  forget: () => undefined,
  forgetTag: () => undefined,
  generation: () => 0,
};

export function createUserCache(options: UserCacheOptions, clock: Clock): UserCache {
  if (options.ttlMs <= 0) return NO_CACHE;
  const cache = new LRUCache<string, RawUserInfo>({
    max: options.maxEntries,
    maxSize: options.maxBytes ?? DEFAULT_USER_CACHE_MAX_BYTES,
    sizeCalculation: sizeOf,
    ttl: options.ttlMs,
    // The injected clock, read on every check: no timers, and tests move time.
    perf: clock,
    ttlResolution: 0,
  });
  let generation = 0;
  return {
    enabled: true,
    get: (app, lang, openid) => cache.get(keyOf(app, lang, openid)),
    set: (app, lang, user) => {
      cache.set(keyOf(app, lang, user.openid), user);
    },
    forget(app, openids) {
      generation += 1;
      for (const openid of openids) {
        for (const lang of LANGS) cache.delete(keyOf(app, lang, openid));
      }
    },
    forgetTag(app, tagId) {
      generation += 1;
      const prefix = `${app}\u0000`;
      const tagged: string[] = [];
      for (const [key, user] of cache.entries()) {
        if (key.startsWith(prefix) && user.tagid_list?.includes(tagId)) tagged.push(key);
      }
      for (const key of tagged) cache.delete(key);
    },
    generation: () => generation,
  };
}
