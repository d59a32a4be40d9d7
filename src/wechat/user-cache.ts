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
   * A look-up of these users of the app is on its way to WeChat. A drop that concerns one of
   * them before the look-up ends means what it read may predate the change: the caller is
   * answered, but that user is not kept. Drops of other users do not matter to it.
   */
  startLookup(app: string, openids: readonly string[]): UserLookup;
}

/** One look-up on its way (see `startLookup`); `end` it whatever happens. */
export interface UserLookup {
  /** Caches what the look-up read, unless the user was dropped since the look-up started. */
  keep(lang: Lang, user: RawUserInfo): void;
  end(): void;
}

const keyOf = (app: string, lang: Lang, openid: string) => `${app}\u0000${lang}\u0000${openid}`;
const userOf = (app: string, openid: string) => `${app}\u0000${openid}`;

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
  startLookup: () => ({ keep: () => undefined, end: () => undefined }),
};

/** A user with look-ups in flight: how many, and how many drops concerned it meanwhile. */
interface InFlight {
  lookups: number;
  drops: number;
}

/**
 * Drop counts per user (app and openid), kept only while a look-up of that user is in flight, so
 * the map never holds more users than the look-ups on their way. A drop of user A never stops
 * caching a look-up of user B (one global counter did: a late drop note of A, heard while B's
 * look-up was out, left B uncached).
 */
function createInFlightDrops(put: (app: string, lang: Lang, user: RawUserInfo) => void) {
  const inFlight = new Map<string, InFlight>();
  return {
    drop(app: string, openids: readonly string[]) {
      for (const openid of openids) {
        const user = inFlight.get(userOf(app, openid));
        if (user) user.drops += 1;
      }
    },
    /** Which users a tag's deletion concerns is unknown until read: every look-up of the app. */
    dropApp(app: string) {
      const prefix = `${app}\u0000`;
      for (const [id, user] of inFlight) if (id.startsWith(prefix)) user.drops += 1;
    },
    start(app: string, openids: readonly string[]): UserLookup {
      const seen = new Map<string, { user: InFlight; drops: number }>();
      for (const openid of new Set(openids)) {
        const id = userOf(app, openid);
        let user = inFlight.get(id);
        if (!user) inFlight.set(id, (user = { lookups: 0, drops: 0 }));
        user.lookups += 1;
        seen.set(openid, { user, drops: user.drops });
      }
      let ended = false;
      return {
        keep(lang, record) {
          const at = seen.get(record.openid);
          if (!ended && at && at.user.drops === at.drops) put(app, lang, record);
        },
        end() {
          if (ended) return;
          ended = true;
          for (const [openid, { user }] of seen) {
            user.lookups -= 1;
            if (user.lookups === 0) inFlight.delete(userOf(app, openid));
          }
        },
      };
    },
  };
}

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
  const set = (app: string, lang: Lang, user: RawUserInfo) => {
    cache.set(keyOf(app, lang, user.openid), user);
  };
  const inFlight = createInFlightDrops(set);
  return {
    enabled: true,
    get: (app, lang, openid) => cache.get(keyOf(app, lang, openid)),
    set,
    forget(app, openids) {
      inFlight.drop(app, openids);
      for (const openid of openids) {
        for (const lang of LANGS) cache.delete(keyOf(app, lang, openid));
      }
    },
    forgetTag(app, tagId) {
      inFlight.dropApp(app);
      const prefix = `${app}\u0000`;
      const tagged: string[] = [];
      for (const [key, user] of cache.entries()) {
        if (key.startsWith(prefix) && user.tagid_list?.includes(tagId)) tagged.push(key);
      }
      for (const key of tagged) cache.delete(key);
    },
    startLookup: inFlight.start,
  };
}
