import type { CachedCredentialConfig } from './credential-config.js';
import { createCredentialMemory, type CredentialMemory } from './credential-memory.js';
import type { Credential } from './credential-record.js';
import { createDeferredPublish } from './deferred-publish.js';
import { TokenUnavailableError } from './errors.js';
import { createFailureGate } from './failure-gate.js';
import { fingerprint } from './keys.js';
import { createLoadPath, type LoadOptions } from './load-path.js';
import type { RejectionBudget } from './rejection-budget.js';
import type { RefreshBudgetState, RefreshReason } from './types.js';

export type { Credential };

export interface CachedCredential {
  /** Hot path: from memory while valid (starting one background refresh-ahead when due). */
  get(): Promise<Credential>;
  /**
   * `get()` without the promise: the in-memory credential while valid (with the same refresh-ahead
   * trigger), else undefined and the caller goes through `get()`. Saves every upstream call an await.
   */
  current(): Credential | undefined;
  /**
   * WeChat rejected `used`: it is never handed out again (unless WeChat's token endpoint hands
   * the value back later); a credential the fleet already has, or one refresh (shared, within
   * the budget), replaces it. Undefined when none can be had because the budget is spent.
   */
  invalidate(used: Credential): Promise<Credential | undefined>;
  /** Admin refresh: fetch now (after any refresh in flight). */
  refresh(force: boolean): Promise<Credential>;
  peek(): Credential | undefined;
  /** Is `used` L1, not yet known to be rejected? (The first rejection of it is the news.) */
  isCurrent(used: Credential): boolean;
  peekShared(): Promise<Credential | undefined>;
  refreshBudget(): Promise<RefreshBudgetState>;
  /** No store read: see RefreshBudgetState.refusedUntil. */
  refusedUntil(): number | null;
  clearBackoff(): void;
  /** Resolves once no refresh (or deferred publish) is in flight. */
  idle(): Promise<void>;
}

interface SingleFlight {
  /** The load in flight and why it was started, if any. */
  pending(): { run: Promise<Credential>; reason: RefreshReason } | undefined;
  /** Starts a load that every caller arriving meanwhile shares. */
  run(reason: RefreshReason, options: LoadOptions): Promise<Credential>;
  /** Resolves once no load is in flight. */
  idle(): Promise<void>;
}

function createSingleFlight(
  load: (reason: RefreshReason, options: LoadOptions) => Promise<Credential>,
): SingleFlight {
  let inflight: { run: Promise<Credential>; reason: RefreshReason } | undefined;
  return {
    pending: () => inflight,
    run(reason, options) {
      const run: Promise<Credential> = load(reason, options).finally(() => {
        if (inflight?.run === run) inflight = undefined;
      });
      inflight = { run, reason };
      return run;
    },
    async idle() {
      while (inflight !== undefined) await inflight.run.catch(() => undefined);
    },
  };
}

/**
 * Until when get() refuses callers (see RefreshBudgetState): the credential it holds was
 * rejected, is still within its lifetime (an expired one is a cold load, which the budget does
 * not gate) and the budget allows no refresh for it before then.
 */
function refusalEnd(memory: CredentialMemory, budget: RejectionBudget, now: number): number | null {
  const until = budget.refusedUntil();
  const held = memory.l1;
  const refusing =
    until !== undefined && memory.l1Rejected && held !== undefined && memory.isServable(held, now);
  return refusing ? until : null;
}

const isBudgetRefusal = (error: unknown): boolean =>
  error instanceof TokenUnavailableError && error.reason === 'refresh-budget';

/**
 * One cached upstream credential (access_token or jsapi_ticket) of one app: L1 in memory, L2 in
 * the shared store, single-flight per process, a store lease across processes, monotonic writes
 * fenced by generation (fencing.ts), refresh-ahead driven by accesses (no timers), a clock-based
 * backoff after failures and a budget for refreshes caused by rejections.
 */
export function createCachedCredential(config: CachedCredentialConfig): CachedCredential {
  const { label } = config.identity;
  const { clock, logger } = config.runtime;
  const { onCache } = config.hooks;
  const memory = createCredentialMemory(clock, config.timings.expiryMarginMs);
  const failures = createFailureGate(config);
  const path = createLoadPath(config, memory, failures);
  const flight = createSingleFlight(path.load);
  const refusedUntil = () => refusalEnd(memory, path.budget, clock.now());
  const publisher = createDeferredPublish(config, {
    memory,
    readShared: path.readShared,
    adopt: path.adoptShared,
  });

  async function obtain(reason: 'cold' | 'rejected', options: LoadOptions): Promise<Credential> {
    // L1 when it answers this caller; asked again after waiting for the load in flight.
    const cached = memory.usable(clock.now());
    if (cached !== undefined) return cached;
    const pending = flight.pending();
    if (pending !== undefined) {
      try {
        const result = await pending.run;
        if (memory.meetsRequest(result, reason, false)) return result;
      } catch (error) {
        // A cold or rejected load that just failed answers for everyone who waited on it.
        if (pending.reason !== 'ahead' && pending.reason !== 'forced') throw error;
      }
      const settled = memory.usable(clock.now());
      if (settled !== undefined) return settled;
    }
    return flight.pending()?.run ?? flight.run(reason, options);
  }

  function current(): Credential | undefined {
    const now = clock.now();
    const held = memory.usable(now);
    if (held === undefined) return undefined;
    onCache?.('memory_hit');
    if (flight.pending() === undefined && failures.isAheadDue(held, now)) {
      // Failures are logged and backed off inside; callers keep the current credential.
      flight.run('ahead', {}).catch(() => undefined);
    }
    if (memory.unpublished !== undefined) publisher.poke(now);
    return held;
  }

  return {
    get() {
      const held = current();
      if (held !== undefined) return Promise.resolve(held);
      const rejected = memory.l1;
      // L1 is still valid but WeChat rejected it: replacing it is a refresh for a rejection.
      return memory.l1Rejected && rejected !== undefined && memory.isServable(rejected, clock.now())
        ? obtain('rejected', { rejected: rejected.value })
        : obtain('cold', {});
    },

    current,

    invalidate(used) {
      if (memory.reject(used.value, used.gen)) {
        logger.warn(
          { credential: label, fingerprint: fingerprint(used.value) },
          `WeChat rejected the cached ${label}; replacing it (refresh budget allowing)`,
        );
      }
      return obtain('rejected', { rejected: used.value }).catch((error: unknown) => {
        if (isBudgetRefusal(error)) return undefined;
        throw error;
      });
    },

    async refresh(force) {
      await flight.pending()?.run.catch(() => undefined);
      return flight.run('forced', { force });
    },

    peek: () => memory.l1,
    isCurrent: (used) => memory.l1 === used && !memory.l1Rejected,
    peekShared: path.readShared,
    refreshBudget: async () => ({ ...(await path.budget.reading()), refusedUntil: refusedUntil() }),
    refusedUntil,
    clearBackoff: () => failures.clear(),
    async idle() {
      await flight.idle();
      await publisher.idle();
    },
  };
}
