import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { BackoffPolicy } from './backoff.js';
import { decodeRecord, type Credential } from './credential-record.js';
import { createFailureGate, type FailureGate } from './failure-gate.js';
import { createFetchAndPublish, type Fetched } from './fetch-and-publish.js';
import { fingerprint, type CredentialKeys } from './keys.js';
import { createCredentialLease, type LeasePolicy } from './lease.js';
import { createRejectionGate } from './rejection-gate.js';
import { createStoreGuard } from './store-guard.js';
import type { TokenStore } from './store.js';
import type { RefreshReason } from './types.js';

export type { Credential, Fetched };

export interface CachedCredentialConfig {
  label: 'access_token' | 'jsapi_ticket';
  appName: string;
  keys: CredentialKeys;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** `signal` aborts the upstream request once the fetch deadline has passed. */
  fetch(reason: RefreshReason, force: boolean, signal: AbortSignal): Promise<Fetched>;
  /** Refresh-ahead starts this long before expiry (jitter already applied). */
  aheadMs: number;
  /** A credential is handed out only until this long before its expiry. */
  expiryMarginMs: number;
  /**
   * The jsapi_ticket's `expires_in` is always 7200, not the remaining life (wechat-api.md §8.1):
   * when the same ticket comes back, its known expiry is kept instead of being extended.
   */
  keepExpiryWhenUnchanged: boolean;
  /** When a refresh-ahead that brought no fresher credential may be tried again. */
  retryUnchangedAt(current: Credential, now: number, streak: number): number;
  /**
   * Refreshes caused by a rejection are at least this far apart (fleet-wide): a credential that
   * WeChat keeps rejecting, or a token endpoint that keeps handing it back, must not cost a
   * fetch per wave of failing calls.
   */
  rejectedRefreshMinIntervalMs: number;
  lease: LeasePolicy;
  backoff: BackoffPolicy;
  /** Attempts for a caller that has no valid credential (-1 and network faults only). */
  coldAttempts: number;
  coldRetryDelayMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
  instanceId: string;
}

export interface CachedCredential {
  /** Hot path: from memory while valid (starting one background refresh-ahead when due). */
  get(): Promise<Credential>;
  /**
   * `get()` without the promise: the in-memory credential while valid (with the same refresh-ahead
   * trigger), else undefined and the caller goes through `get()`. Saves every upstream call an await.
   */
  current(): Credential | undefined;
  /**
   * WeChat rejected `value`: drop it where it is still cached, refresh once (shared), return the
   * new one. Undefined when no other credential is cached and the last rejection-driven refresh
   * is too recent for another: `value` then stays current and the caller reports the rejection.
   */
  invalidate(value: string): Promise<Credential | undefined>;
  /** Admin refresh: fetch now (after any refresh in flight). */
  refresh(force: boolean): Promise<Credential>;
  peek(): Credential | undefined;
  peekShared(): Promise<Credential | undefined>;
  clearBackoff(): void;
  /** Resolves once no refresh is in flight. */
  idle(): Promise<void>;
}

interface LoadOptions {
  rejected?: string;
  /** The credential `invalidate` took out of L1: put back when no refresh may run. */
  held?: Credential;
  force?: boolean;
}

/** A rejection-driven refresh was refused by the spacing; never leaves this module. */
class RejectedRefreshSpaced extends Error {
  constructor(label: string) {
    super(`${label} refresh after a rejection refused: the last one is too recent`);
  }
}

/** The in-memory copy (L1), shared by the callers' side and the load path that fills it. */
interface Memory {
  l1: Credential | undefined;
  /** Last value WeChat rejected: never adopted again, from L1 or L2. */
  lastRejected: string | undefined;
  /** Not yet within the expiry margin: may still be handed out at `now`. */
  isServable(credential: Credential, now: number): boolean;
  /**
   * Would `credential` answer this caller now? Servable, not the value WeChat last rejected, and
   * for a rejection not the value being replaced.
   */
  meetsRequest(credential: Credential, reason: RefreshReason, options: LoadOptions): boolean;
}

function createMemory(clock: Clock, expiryMarginMs: number): Memory {
  const memory: Memory = {
    l1: undefined,
    lastRejected: undefined,
    isServable: (credential, now) => now < credential.expiresAt - expiryMarginMs,
    meetsRequest(credential, reason, options) {
      if (!memory.isServable(credential, clock.now())) return false;
      if (credential.value === memory.lastRejected) return false;
      return reason !== 'rejected' || credential.value !== options.rejected;
    },
  };
  return memory;
}

interface LoadPath {
  /** One load: L2 first, then the lease, then (if still needed) one fetch for the fleet. */
  load(reason: RefreshReason, options: LoadOptions): Promise<Credential>;
  readShared(): Promise<Credential | undefined>;
}

/**
 * The load path behind the single-flight: what it brings (from the store or upstream) is adopted
 * into L1 while this instance still holds the lease.
 */
function createLoadPath(
  config: CachedCredentialConfig,
  memory: Memory,
  failures: FailureGate,
): LoadPath {
  const { label, keys, store, clock } = config;
  const guard = createStoreGuard(config.logger, label);
  const lease = createCredentialLease({
    ...config,
    key: keys.lease,
    policy: config.lease,
    guard,
  });
  const rejections = createRejectionGate({
    ...config,
    key: keys.rejectedRefresh,
    minIntervalMs: config.rejectedRefreshMinIntervalMs,
    guard,
  });
  const fetchAndPublish = createFetchAndPublish({
    ...config,
    guard,
    failures,
    readShared,
    isServable: memory.isServable,
  });

  async function readShared(): Promise<Credential | undefined> {
    const entry = await guard(`read the cached ${label}`, () => store.get(keys.record), undefined);
    return entry === undefined ? undefined : decodeRecord(entry, clock.now());
  }

  /** May a credential found in the store end this load without a fetch? */
  function canEndLoadWithoutFetch(
    shared: Credential,
    reason: RefreshReason,
    options: LoadOptions,
  ): boolean {
    if (reason === 'forced') return false;
    if (!memory.meetsRequest(shared, reason, options)) return false;
    // Refresh-ahead wants something newer than what we hold (another instance refreshed).
    return reason !== 'ahead' || memory.l1 === undefined || shared.gen > memory.l1.gen;
  }

  function adopt(credential: Credential): Credential {
    memory.l1 = credential;
    failures.noteSettled(credential);
    return credential;
  }

  /**
   * No refresh for this rejection: the rejected credential stays current (back into L1), so
   * callers keep using it and get WeChat's error instead of each costing a fetch (a cold load
   * would not adopt a rejected value again).
   */
  function spaced(options: LoadOptions): RejectedRefreshSpaced {
    const held = options.held;
    if (memory.l1 === undefined && held !== undefined && memory.isServable(held, clock.now())) {
      memory.l1 = held;
    }
    rejections.noteRefused(options.rejected);
    return new RejectedRefreshSpaced(label);
  }

  async function load(reason: RefreshReason, options: LoadOptions): Promise<Credential> {
    if (reason !== 'forced') {
      const shared = await readShared();
      if (shared !== undefined && canEndLoadWithoutFetch(shared, reason, options)) {
        return adopt(shared);
      }
      if (reason === 'rejected' && rejections.remainingMs() > 0) throw spaced(options);
      const failFast = failures.failFastError();
      if (failFast !== undefined) throw failFast;
    }
    const taken = await lease.take(async () => {
      const shared = await readShared();
      return shared !== undefined && canEndLoadWithoutFetch(shared, reason, options)
        ? shared
        : undefined;
    });
    if ('published' in taken) return adopt(taken.published);
    const { held } = taken;
    try {
      if (reason !== 'forced') {
        // Re-check under the lease: the previous holder may have published just now.
        const shared = await readShared();
        if (shared !== undefined && canEndLoadWithoutFetch(shared, reason, options)) {
          return adopt(shared);
        }
        const rejected = options.rejected;
        if (reason === 'rejected' && rejected !== undefined) {
          if (!(await rejections.claim(held.owner))) throw spaced(options);
          // Only now that a fetch follows: a refused refresh leaves the credential in place.
          if (shared?.value === rejected) {
            await guard(
              `invalidate the ${label}`,
              () => store.deleteRecordIfValue(keys.record, rejected),
              false,
            );
          }
        }
      }
      const force = options.force === true;
      const credential = adopt(await fetchAndPublish(reason, force, memory.l1, held.signal));
      if (reason === 'rejected') rejections.noteRefreshed(options.rejected, credential.value);
      return credential;
    } finally {
      await held.release();
    }
  }

  return { load, readShared };
}

interface SingleFlight {
  /** The load in flight and why it was started, if any. */
  pending(): { run: Promise<Credential>; reason: RefreshReason } | undefined;
  /** Starts a load that every caller arriving meanwhile shares. */
  run(reason: RefreshReason, options: LoadOptions): Promise<Credential>;
  /** Resolves once no load is in flight. */
  idle(): Promise<void>;
}

function createSingleFlight(load: LoadPath['load']): SingleFlight {
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
 * One cached upstream credential (access_token or jsapi_ticket) of one app: L1 in memory, L2 in
 * the shared store, single-flight per process, a store lease across processes, monotonic writes,
 * refresh-ahead driven by accesses (no timers) and a clock-based backoff after failures.
 */
export function createCachedCredential(config: CachedCredentialConfig): CachedCredential {
  const { label, clock, logger } = config;
  const memory = createMemory(clock, config.expiryMarginMs);
  const failures = createFailureGate(config);
  const { load, readShared } = createLoadPath(config, memory, failures);
  const flight = createSingleFlight(load);

  async function obtain(reason: 'cold' | 'rejected', options: LoadOptions): Promise<Credential> {
    // L1 when it answers this caller; asked again after waiting for the load in flight.
    const fromL1 = (): Credential | undefined => {
      const held = memory.l1;
      return held !== undefined && memory.meetsRequest(held, reason, options) ? held : undefined;
    };
    const cached = fromL1();
    if (cached !== undefined) return cached;
    const pending = flight.pending();
    if (pending !== undefined) {
      try {
        const result = await pending.run;
        if (memory.meetsRequest(result, reason, options)) return result;
      } catch (error) {
        if (error instanceof RejectedRefreshSpaced) {
          // The rejected credential stays current: a cold caller gets it like any other.
          const held = memory.l1;
          if (reason === 'cold' && held !== undefined && memory.isServable(held, clock.now())) {
            return held;
          }
          if (reason === 'rejected') throw error;
        } else if (pending.reason !== 'ahead' && pending.reason !== 'forced') {
          // A cold or rejected load that just failed answers for everyone who waited on it.
          throw error;
        }
      }
      const settled = fromL1();
      if (settled !== undefined) return settled;
    }
    return flight.pending()?.run ?? flight.run(reason, options);
  }

  function current(): Credential | undefined {
    const now = clock.now();
    const held = memory.l1;
    if (held === undefined || !memory.isServable(held, now)) return undefined;
    if (flight.pending() === undefined && failures.isAheadDue(held, now)) {
      // Failures are logged and backed off inside; callers keep the current credential.
      flight.run('ahead', {}).catch(() => undefined);
    }
    return held;
  }

  return {
    get() {
      const held = current();
      return held === undefined ? obtain('cold', {}) : Promise.resolve(held);
    },

    current,

    invalidate(value) {
      if (memory.lastRejected !== value) {
        memory.lastRejected = value;
        logger.warn(
          { credential: label, fingerprint: fingerprint(value) },
          `WeChat rejected the cached ${label}; refreshing once`,
        );
      }
      const held = memory.l1?.value === value ? memory.l1 : undefined;
      if (held !== undefined) memory.l1 = undefined;
      return obtain('rejected', { rejected: value, held }).catch((error: unknown) => {
        if (error instanceof RejectedRefreshSpaced) return undefined;
        throw error;
      });
    },

    async refresh(force) {
      await flight.pending()?.run.catch(() => undefined);
      return flight.run('forced', { force });
    },

    peek: () => memory.l1,
    peekShared: readShared,
    clearBackoff: () => failures.clear(),
    idle: () => flight.idle(),
  };
}
