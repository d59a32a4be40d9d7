/**
 * Wrong keys per client (an IPv4 address or an IPv6 /64, as for the rate limits): up to
 * `limit` within a day (from the first one) are answered UNAUTHENTICATED as usual; each one after that locks the
 * client out, 15 s for the first and twice as long for each next one, up to an hour. While
 * locked out, every key the client presents, the right one included, is refused with
 * RATE_LIMITED without being compared: answering a right key would tell a guesser it found
 * one. Session tokens are never counted nor refused here (a stale one is a normal event, and a
 * forged one needs the signing secret). A right key never counts.
 *
 * The count lives in the token store (fleet-wide with Redis, per instance while it is
 * unreachable); each instance keeps the lock-outs it decided in memory, so checking one costs
 * no store round trip. Another instance learns of a lock-out at the client's next wrong key
 * there, which is then refused as well.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import { addressSubject } from './client-address.js';
import { keyFailuresKey } from './store-keys.js';
import { createThrottledWarning } from './throttled-warning.js';

export interface KeyLockout {
  /** Whole seconds the client is still locked out for, or undefined. Synchronous. */
  lockedFor(client: string): number | undefined;
  /** Counts one wrong key; the seconds the client is now locked out for, or undefined. */
  recordFailure(client: string): Promise<number | undefined>;
}

export const KEY_FAILURE_WINDOW_MS = 24 * 60 * 60_000;
export const KEY_LOCKOUT_FIRST_MS = 15_000;
export const KEY_LOCKOUT_MAX_MS = 60 * 60_000;

/** How long the `failures`-th wrong key locks the client out (none within the limit). */
export function lockoutMs(failures: number, limit: number): number {
  if (failures <= limit) return 0;
  const doublings = Math.min(failures - limit - 1, 20);
  return Math.min(KEY_LOCKOUT_MAX_MS, KEY_LOCKOUT_FIRST_MS * 2 ** doublings);
}

export function createKeyLockout(deps: {
  /** Wrong keys per client within KEY_FAILURE_WINDOW_MS before lock-outs start; 0: never. */
  limit: number;
  ipv6PrefixBits: number;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** Clients remembered per instance (lock-outs, and counts while the store is unreachable). */
  maxClients?: number;
}): KeyLockout {
  const { store, clock, logger, limit } = deps;
  const max = deps.maxClients ?? 10_000;
  /** Until when each locked-out client is refused (epoch ms). */
  const locks = new LRUCache<string, number>({ max });
  const localCounts = new LRUCache<string, { count: number; since: number }>({ max });
  const warnUncounted = createThrottledWarning(
    logger,
    clock,
    'token store unavailable: wrong keys are counted per instance meanwhile',
  );
  const subjectOf = (client: string) => addressSubject(client, deps.ipv6PrefixBits);

  const count = async (subject: string): Promise<number> => {
    try {
      const [counted = 0] = await store.increment(
        keyFailuresKey(subject),
        ['n'],
        KEY_FAILURE_WINDOW_MS,
      );
      return counted;
    } catch (error) {
      warnUncounted(error);
      const now = clock.now();
      const entry = localCounts.get(subject);
      const fresh = entry === undefined || now - entry.since >= KEY_FAILURE_WINDOW_MS;
      const next = fresh
        ? { count: 1, since: now }
        : { count: entry.count + 1, since: entry.since };
      localCounts.set(subject, next);
      return next.count;
    }
  };

  const remaining = (subject: string): number | undefined => {
    const until = locks.get(subject);
    if (until === undefined) return undefined;
    const left = until - clock.now();
    if (left > 0) return Math.ceil(left / 1000);
    locks.delete(subject);
    return undefined;
  };

  return {
    lockedFor: (client) => (limit <= 0 ? undefined : remaining(subjectOf(client))),
    async recordFailure(client) {
      if (limit <= 0) return undefined;
      const subject = subjectOf(client);
      const failures = await count(subject);
      const ms = lockoutMs(failures, limit);
      if (ms === 0) return undefined;
      const until = clock.now() + ms;
      locks.set(subject, Math.max(until, locks.get(subject) ?? 0));
      logger.warn(
        { client: subject, wrongKeys: failures, lockedOutSeconds: Math.ceil(ms / 1000) },
        'wrong keys from one client: its keys are refused for a while',
      );
      return remaining(subject);
    },
  };
}
