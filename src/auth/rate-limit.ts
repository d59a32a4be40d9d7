/**
 * Abuse limits on what anonymous callers reach (`login`, `jsapiConfig`): a fixed one-minute
 * window per client and limit, and a cap on every client together. A client is an IPv4 address
 * or an IPv6 prefix (a /64 by default, see client-address.ts): one customer can send from any
 * address of its /64. Every attempt counts against its client; the attempts a client's limit let
 * through count against the cap. The counters live in the token store, so with Redis the whole
 * fleet counts together; a client over its limit (or everyone, over the cap) is refused from
 * memory for the rest of the window, without a store round trip.
 */
import type { RateLimits } from '../config/access.js';
import type { Clock } from '../shared/clock.js';
import { rateLimited } from '../shared/graphql-errors.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import { addressSubject } from './client-address.js';
import { globalRateLimitKey, rateLimitKey } from './store-keys.js';
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
  /** Per field, all clients together; 0: no cap. */
  globalLimits: RateLimits;
  /** IPv6 clients are counted by this prefix. */
  ipv6PrefixBits: number;
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

  /** Counts one attempt under `key`; false once `limit` is passed (then refused from memory). */
  const admit = async (key: string, limit: number, ttlMs: number): Promise<boolean> => {
    if (limit <= 0) return true;
    if (refused.has(key)) return false;
    if ((await count(key, ttlMs)) <= limit) return true;
    refused.add(key);
    return false;
  };

  return {
    async consume(name, client) {
      const limit = deps.limits[name];
      const cap = deps.globalLimits[name];
      if (limit <= 0 && cap <= 0) return;
      const now = clock.now();
      const current = Math.floor(now / RATE_LIMIT_WINDOW_MS);
      if (current !== window) {
        window = current;
        refused.clear();
        localCounts.clear();
      }
      const resetAt = (current + 1) * RATE_LIMIT_WINDOW_MS;
      const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
      // The keys outlive their window a little: another instance's clock may run behind.
      const ttlMs = resetAt - now + 5_000;
      const subject = addressSubject(client, deps.ipv6PrefixBits);
      if (!(await admit(rateLimitKey(name, current, subject), limit, ttlMs))) {
        throw rateLimited(
          `Too many "${FIELD_OF[name]}" requests from this address (${limit} a minute); retry later.`,
          retryAfter,
        );
      }
      if (!(await admit(globalRateLimitKey(name, current), cap, ttlMs))) {
        throw rateLimited(
          `Too many "${FIELD_OF[name]}" requests from all addresses together (${cap} a minute); retry later.`,
          retryAfter,
        );
      }
    },
  };
}
