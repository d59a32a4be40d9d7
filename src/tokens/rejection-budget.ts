import type { Clock } from '../shared/clock.js';
import type { CachedCredentialConfig } from './credential-config.js';
import { TokenUnavailableError } from './errors.js';
import { fingerprint } from './keys.js';
import type { StoreGuard } from './store-guard.js';
import type { RefreshBudgetState } from './types.js';

/**
 * The budget of refreshes caused by a rejected credential (40001/40014/42001): a token bucket
 * (GCRA) holding `capacity` refreshes, one coming back every `refillMs`.
 *
 * Defaults, 3 and 2 min (options.ts), because:
 * - a burst of 3 lets a rotation by another environment and two more invalidations in quick
 *   succession each cost one refresh and no client error (a fixed 30 s spacing failed the whole
 *   fleet on the second invalidation within 30 s);
 * - one back every 2 min bounds what a credential WeChat keeps rejecting can cost: at most
 *   3 + 24 h / 2 min = 723 token calls a day for the whole fleet, about a third of the legacy
 *   quota (2000 a day), leaving over 1200 for rotations (about 12 a day), restarts and any other
 *   system using the appid; and it keeps up with another environment that takes a legacy token
 *   every 2 minutes or less often.
 *
 * Fleet-wide, the bucket is a store key whose remaining TTL is the debt (spendFromBudget), so the
 * store's clock alone refills it. While the store cannot be reached each instance spends from its
 * own bucket of the same size, on its own clock: N instances may spend N times as much for as long
 * as an outage lasts (a legacy-mode app then takes stable tokens, which do not touch the 2000).
 */
export interface RejectionBudget {
  /** The end of a refusal still in force (known without the store), or undefined. */
  refusedUntil(): number | undefined;
  /**
   * Spends one refresh: from the fleet's budget when `coordinated` and the store answers, else
   * from this instance's own. False when none is left. Call under the lease, so that callers of
   * other instances wait for a refresh in flight instead of being refused.
   */
  spend(coordinated: boolean): Promise<boolean>;
  /**
   * What is left, for tokenStatus and /metrics (one store read; local when the store fails).
   * Whether callers are refused depends on the credential too: cached-credential.ts adds it.
   */
  reading(): Promise<Omit<RefreshBudgetState, 'refusedUntil'>>;
  /** The error callers get while refused (logged once per refusal) for the rejection of `rejected`. */
  refusal(rejected: string | undefined): TokenUnavailableError;
  /** Warns (once per value) when the refresh for a rejection brought the rejected value back. */
  noteRefreshed(rejected: string | undefined, fresh: string): void;
}

/** The budget as one reading shows it, with `debt` owed (a remaining TTL, or the local debt). */
function budgetState(
  debt: number,
  local: boolean,
  clock: Clock,
  bucket: { capacity: number; refillMs: number },
): Omit<RefreshBudgetState, 'refusedUntil'> {
  const { capacity, refillMs } = bucket;
  const fullDebt = capacity * refillMs;
  const owed = Math.min(fullDebt, Math.max(0, debt));
  const partial = owed % refillMs;
  return {
    remaining: Math.floor((fullDebt - owed) / refillMs),
    capacity,
    refillMs,
    nextRefillAt: owed === 0 ? null : clock.now() + (partial === 0 ? refillMs : partial),
    local,
  };
}

export function createRejectionBudget(
  config: Pick<CachedCredentialConfig, 'identity' | 'keys' | 'runtime' | 'fetchPolicy'>,
  guard: StoreGuard,
): RejectionBudget {
  const { appName, label } = config.identity;
  const key = config.keys.rejectedRefreshBudget;
  const { capacity, refillMs } = config.fetchPolicy.rejectedRefreshBudget;
  const { store, clock, logger } = config.runtime;
  const fullDebt = capacity * refillMs;
  /** This instance's own bucket: the instant (injected clock) when its debt is paid off. */
  let localPaidOffAt = 0;
  /** No refresh before this (injected clock): the last answer, from the store or local. */
  let notBefore = 0;
  let loggedRefusal = 0;
  /** Fingerprint of the last rejected value a refresh handed back (warned about once). */
  let echoWarned: string | undefined;

  const localDebt = (): number => Math.max(0, localPaidOffAt - clock.now());
  // With `debt` owed, one more refresh fits once the debt is down to (capacity - 1) refills.
  const refuseFor = (debt: number): boolean => {
    notBefore = clock.now() + Math.max(1, debt - (fullDebt - refillMs));
    return false;
  };

  function spendLocal(): boolean {
    const debt = localDebt();
    if (debt + refillMs > fullDebt) return refuseFor(debt);
    localPaidOffAt = clock.now() + debt + refillMs;
    return true;
  }

  const state = (debt: number, local: boolean): Omit<RefreshBudgetState, 'refusedUntil'> =>
    budgetState(debt, local, clock, config.fetchPolicy.rejectedRefreshBudget);

  return {
    refusedUntil: () => (clock.now() < notBefore ? notBefore : undefined),

    async spend(coordinated) {
      if (clock.now() < notBefore) return false;
      if (coordinated) {
        const answer = await guard(
          `spend from the ${label} refresh budget`,
          () => store.spendFromBudget(key, capacity, refillMs),
          undefined,
        );
        if (answer !== undefined) return answer.spent || refuseFor(answer.debtMs);
      }
      return spendLocal();
    },

    async reading() {
      try {
        const entry = await store.get(key);
        return state(entry?.ttlMs ?? 0, false);
      } catch {
        return state(localDebt(), true);
      }
    },

    refusal(rejected) {
      const retryAt = Math.max(notBefore, clock.now());
      if (loggedRefusal !== notBefore) {
        loggedRefusal = notBefore;
        logger.warn(
          {
            credential: label,
            fingerprint: rejected === undefined ? undefined : fingerprint(rejected),
            retryInMs: Math.round(retryAt - clock.now()),
            capacity,
            refillMs,
          },
          `WeChat keeps rejecting the ${label}: the budget of refreshes for rejected tokens is spent; none until it refills`,
        );
      }
      return new TokenUnavailableError(
        appName,
        'refresh-budget',
        `no valid ${label} for app "${appName}": WeChat rejected it, and the refreshes for rejected tokens (${capacity} at once, one more every ${Math.round(refillMs / 1000)} s) are spent; next after ${new Date(retryAt).toISOString()}`,
        { retryAt, credential: label },
      );
    },

    noteRefreshed(rejected, fresh) {
      if (rejected !== fresh) return;
      const print = fingerprint(fresh);
      if (echoWarned === print) return;
      echoWarned = print;
      logger.warn(
        { credential: label, fingerprint: print },
        `the refresh after a rejection brought back the rejected ${label}: WeChat still considers it current`,
      );
    },
  };
}
