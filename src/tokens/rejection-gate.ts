import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { fingerprint } from './keys.js';
import type { StoreGuard } from './store-guard.js';
import type { TokenStore } from './store.js';

export interface RejectionGate {
  /**
   * How long this process refuses rejection-driven refreshes without asking the store: 0 when
   * `claim` may try.
   */
  remainingMs(): number;
  /**
   * Claims the right to one rejection-driven refresh; false while the spacing refuses it. Call
   * under the lease, so callers of other instances wait for a refresh in flight instead of
   * being refused.
   */
  claim(owner: string): Promise<boolean>;
  /** Logs a refused refresh for the rejection of `rejected`, once per spacing window. */
  noteRefused(rejected: string | undefined): void;
  /** Warns (once per value) when the refresh for a rejection brought the rejected value back. */
  noteRefreshed(rejected: string | undefined, fresh: string): void;
}

/**
 * Spaces the refreshes caused by a rejection at least `minIntervalMs` apart, fleet-wide: a
 * credential that WeChat keeps rejecting, or a token endpoint that keeps handing it back, must
 * not cost a fetch per wave of failing calls. The spacing is a store key whose TTL is the
 * interval (setIfAbsent, so the store's clock decides, as for the force_refresh spacing), plus
 * this process's own deadline, which saves the store round trips while spaced and still holds
 * when the store is down.
 */
export function createRejectionGate(deps: {
  label: string;
  key: string;
  minIntervalMs: number;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  guard: StoreGuard;
}): RejectionGate {
  const { label, key, store, clock, logger, guard } = deps;
  const interval = deps.minIntervalMs;
  /** No rejection-driven refresh from this process before this (injected clock). */
  let notBefore = 0;
  let loggedUntil = 0;
  /** Fingerprint of the last rejected value a refresh handed back (warned about once). */
  let echoWarned: string | undefined;

  return {
    remainingMs: () => Math.max(0, notBefore - clock.now()),

    async claim(owner) {
      if (clock.now() < notBefore) return false;
      const claimed = await guard(
        `claim a ${label} refresh after a rejection`,
        () => store.setIfAbsent(key, owner, interval),
        true,
      );
      if (!claimed) {
        const entry = await guard(
          `read the ${label} rejection spacing`,
          () => store.get(key),
          undefined,
        );
        const remaining = Math.min(entry?.ttlMs ?? interval, interval);
        notBefore = clock.now() + remaining;
        return false;
      }
      notBefore = clock.now() + interval;
      return true;
    },

    noteRefused(rejected) {
      if (loggedUntil === notBefore) return;
      loggedUntil = notBefore;
      logger.warn(
        {
          credential: label,
          fingerprint: rejected === undefined ? undefined : fingerprint(rejected),
          retryInMs: Math.max(0, Math.round(notBefore - clock.now())),
        },
        `WeChat rejected the ${label} again soon after a refresh for a rejection; no refresh until the spacing ends`,
      );
    },

    noteRefreshed(rejected, fresh) {
      if (rejected !== fresh) return;
      const print = fingerprint(fresh);
      if (echoWarned === print) return;
      echoWarned = print;
      logger.warn(
        { credential: label, fingerprint: print, spacingMs: interval },
        `the refresh after a rejection brought back the rejected ${label}: WeChat still considers it current`,
      );
    },
  };
}
