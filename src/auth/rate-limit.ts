/**
 * Abuse limits on what anonymous callers reach (`login`, `jsapiConfig`): a fixed one-minute
 * window per client address and limit. Every attempt counts. The counters live in the token
 * store, so with Redis the whole fleet counts together; a client already over its limit is
 * refused from memory for the rest of the window, without a store round trip.
 */
import type { RateLimits } from '../config/access.js';
import type { Clock } from '../shared/clock.js';
import { rateLimited } from '../shared/graphql-errors.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import { rateLimitKey } from './store-keys.js';
import { createThrottledWarning } from './throttled-warning.js';

export type RateLimitName = keyof RateLimits;

export interface RateLimiter {
  /** Counts one attempt; throws RATE_LIMITED (with `retryAfter` seconds) beyond the limit. */
  consume(name: RateLimitName, client: string): Promise<void>;
}

export const RATE_LIMIT_WINDOW_MS = 60_000;

const FIELD_OF: Record<RateLimitName, string> = { login: 'login', jsapiConfig: 'jsapiConfig' };

export function createRateLimiter(deps: {
  limits: RateLimits;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
}): RateLimiter {
  const { store, clock } = deps;
  let window = -1;
  // Both only for the current window: cleared when it ends.
  const refused = new Set<string>();
  const localCounts = new Map<string, number>();
  const warnUncounted = createThrottledWarning(
    deps.logger,
    clock,
    'token store unavailable: rate limits are counted per instance meanwhile',
  );

  const count = async (key: string, ttlMs: number): Promise<number> => {
    try {
      const [counted = 0] = await store.increment(key, ['n'], ttlMs);
      return counted;
    } catch (error) {
      warnUncounted(error);
      const counted = (localCounts.get(key) ?? 0) + 1;
      localCounts.set(key, counted);
      return counted;
    }
  };

  return {
    async consume(name, client) {
      const limit = deps.limits[name];
      if (limit <= 0) return;
      const now = clock.now();
      const current = Math.floor(now / RATE_LIMIT_WINDOW_MS);
      if (current !== window) {
        window = current;
        refused.clear();
        localCounts.clear();
      }
      const resetAt = (current + 1) * RATE_LIMIT_WINDOW_MS;
      const key = rateLimitKey(name, current, client);
      const refuse = () =>
        rateLimited(
          `Too many "${FIELD_OF[name]}" requests from this address (${limit} a minute); retry later.`,
          Math.max(1, Math.ceil((resetAt - now) / 1000)),
        );
      if (refused.has(key)) throw refuse();
      // The key outlives its window a little: another instance's clock may run behind.
      const counted = await count(key, resetAt - now + 5_000);
      if (counted > limit) {
        refused.add(key);
        throw refuse();
      }
    },
  };
}
