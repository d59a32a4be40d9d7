import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { errcodeRow } from '../wechat/errcodes.js';
import { UpstreamUnavailableError, WechatApiError } from '../wechat/errors.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { TokenUnavailableError } from './errors.js';
import { decodeRecord, encodeRecord, type Credential } from './credential-record.js';
import { fingerprint, type CredentialKeys } from './keys.js';
import type { TokenStore } from './store.js';
import type { RefreshReason } from './types.js';

/** What an upstream fetch returns. */
export interface Fetched {
  value: string;
  /** `expires_in` in ms, counted from receipt. */
  lifetimeMs: number;
}

export interface LeasePolicy {
  /** How long a lease holder may fetch before another instance may take over. */
  ttlMs: number;
  /**
   * Overall deadline of one fetch (every attempt and the pauses between them), counted from
   * taking the lease: shorter than `ttlMs`, so no holder is still fetching once its lease ends.
   */
  fetchDeadlineMs: number;
  /**
   * How long a caller waits for another instance's fetch. Longer than `ttlMs`: a holder that
   * crashed leaves a lease that expires within the wait, and the waiter then takes it over.
   */
  waitMs: number;
  pollMs: number;
}

export type { Credential };

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

function isTransient(error: unknown): boolean {
  return (
    error instanceof UpstreamUnavailableError ||
    (error instanceof WechatApiError && errcodeRow(error.errcode).action === 'retry')
  );
}

/**
 * One cached upstream credential (access_token or jsapi_ticket) of one app: L1 in memory, L2 in
 * the shared store, single-flight per process, a store lease across processes, monotonic writes,
 * refresh-ahead driven by accesses (no timers) and a clock-based backoff after failures.
 */
export function createCachedCredential(config: CachedCredentialConfig): CachedCredential {
  const { label, appName, keys, store, clock, logger } = config;
  const margin = config.expiryMarginMs;

  let l1: Credential | undefined;
  let inflight: Promise<Credential> | undefined;
  let inflightReason: RefreshReason | undefined;
  /** Last value WeChat rejected: never adopted again, from L1 or L2. */
  let lastRejected: string | undefined;
  /** Set after a failed fetch: cold callers fail fast until `retryAt` instead of refetching. */
  let failure: { retryAt: number; error: TokenUnavailableError } | undefined;
  let failures = 0;
  let aheadNotBefore = 0;
  let unchangedStreak = 0;
  let leaseSeq = 0;
  /** No rejection-driven refresh from this process before this (injected clock). */
  let rejectedRefreshNotBefore = 0;
  let spacingLoggedUntil = 0;
  /** Fingerprint of the last rejected value a refresh handed back (warned about once). */
  let echoWarned: string | undefined;

  const usable = (credential: Credential, now: number): boolean =>
    now < credential.expiresAt - margin;

  async function guard<T>(action: string, operation: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      logger.warn(
        { err: error, credential: label },
        `token store unavailable: could not ${action}`,
      );
      return fallback;
    }
  }

  async function readShared(): Promise<Credential | undefined> {
    const entry = await guard(`read the cached ${label}`, () => store.get(keys.record), undefined);
    return entry === undefined ? undefined : decodeRecord(entry, clock.now());
  }

  function satisfies(credential: Credential, reason: RefreshReason, options: LoadOptions): boolean {
    if (!usable(credential, clock.now()) || credential.value === lastRejected) return false;
    return reason !== 'rejected' || credential.value !== options.rejected;
  }

  /** May a credential found in the store end this load without a fetch? */
  function acceptable(shared: Credential, reason: RefreshReason, options: LoadOptions): boolean {
    if (reason === 'forced') return false;
    if (!satisfies(shared, reason, options)) return false;
    // Refresh-ahead wants something newer than what we hold (another instance refreshed).
    return reason !== 'ahead' || l1 === undefined || shared.gen > l1.gen;
  }

  function settle(credential: Credential): Credential {
    l1 = credential;
    failure = undefined;
    failures = 0;
    const now = clock.now();
    if (now >= credential.expiresAt - config.aheadMs) {
      // Still inside the refresh-ahead window: WeChat handed back what it considers current.
      unchangedStreak += 1;
      aheadNotBefore = config.retryUnchangedAt(credential, now, unchangedStreak);
    } else {
      unchangedStreak = 0;
      aheadNotBefore = 0;
    }
    return credential;
  }

  function toUnavailable(error: unknown, retryAt: number): TokenUnavailableError {
    if (error instanceof TokenUnavailableError) return error;
    const when = new Date(retryAt).toISOString();
    if (error instanceof WechatApiError) {
      return new TokenUnavailableError(
        appName,
        'upstream-failing',
        `no valid ${label} for app "${appName}": WeChat ${error.api} answered errcode ${error.errcode}; next attempt after ${when}`,
        { errcode: error.errcode, ...(error.rid ? { rid: error.rid } : {}), retryAt, cause: error },
      );
    }
    const detail =
      error instanceof UpstreamUnavailableError
        ? `WeChat ${error.api} unavailable (${error.kind})`
        : 'the fetch failed';
    return new TokenUnavailableError(
      appName,
      'upstream-failing',
      `no valid ${label} for app "${appName}": ${detail}; next attempt after ${when}`,
      { retryAt, cause: error },
    );
  }

  function noteFailure(reason: RefreshReason, error: unknown): TokenUnavailableError {
    const now = clock.now();
    failures += 1;
    let retryAt = now + backoffDelay(failures, config.backoff, config.random);
    if (error instanceof TokenUnavailableError && error.retryAt !== undefined) {
      // 45011 "retry next minute": never earlier than WeChat said.
      if (error.reason === 'upstream-failing') retryAt = Math.max(retryAt, error.retryAt);
    }
    const mapped = toUnavailable(error, retryAt);
    // Refresh-ahead backs off on every failure; cold callers only when a fetch really failed
    // (an open breaker is read from the store each time, so an admin reset takes effect at once).
    aheadNotBefore = retryAt;
    if (mapped.reason !== 'breaker-open') failure = { retryAt, error: mapped };
    logger.warn(
      {
        credential: label,
        reason,
        failures,
        retryInMs: Math.round(retryAt - now),
        errcode: mapped.errcode,
        failure: mapped.reason,
      },
      `${label} refresh failed`,
    );
    return mapped;
  }

  async function fetchWithRetries(
    reason: RefreshReason,
    force: boolean,
    deadline: AbortSignal,
  ): Promise<Fetched> {
    const attempts = reason === 'cold' || reason === 'rejected' ? config.coldAttempts : 1;
    const policy = { baseMs: config.coldRetryDelayMs, capMs: config.coldRetryDelayMs * 8 };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await config.fetch(reason, force, deadline);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error) || deadline.aborted) throw error;
        await config.sleep(backoffDelay(attempt, policy, config.random));
        if (deadline.aborted) throw error;
      }
    }
  }

  /** Undefined once this instance holds the lease; a credential if another one published it. */
  async function takeLease(
    owner: string,
    reason: RefreshReason,
    options: LoadOptions,
  ): Promise<Credential | undefined> {
    const maxPolls = Math.ceil(config.lease.waitMs / config.lease.pollMs);
    for (let polls = 0; ; polls += 1) {
      // Without the store, fall back to this process's single-flight: one fetch per instance.
      const taken = await guard(
        `take the ${label} lease`,
        () => store.setIfAbsent(keys.lease, owner, config.lease.ttlMs),
        true,
      );
      if (taken) return undefined;
      if (polls >= maxPolls) {
        throw new TokenUnavailableError(
          appName,
          'lease-timeout',
          `no valid ${label} for app "${appName}": another instance is refreshing it and published nothing within ${config.lease.waitMs} ms`,
          { retryAt: clock.now() + config.lease.pollMs },
        );
      }
      await config.sleep(config.lease.pollMs);
      const shared = await readShared();
      if (shared !== undefined && acceptable(shared, reason, options)) return shared;
    }
  }

  async function fetchAndPublish(
    reason: RefreshReason,
    options: LoadOptions,
    deadline: AbortSignal,
  ): Promise<Credential> {
    const previous = l1;
    const gen =
      (await guard(
        `allocate a ${label} generation`,
        () => store.nextGeneration(keys.generation, keys.record),
        undefined,
      )) ?? (previous?.gen ?? 0) + 1;
    let fetched: Fetched;
    try {
      fetched = await fetchWithRetries(reason, options.force === true, deadline);
    } catch (error) {
      throw noteFailure(reason, error);
    }
    const now = clock.now();
    let expiresAt = now + fetched.lifetimeMs;
    if (
      config.keepExpiryWhenUnchanged &&
      previous?.value === fetched.value &&
      previous.expiresAt > now
    ) {
      expiresAt = Math.min(expiresAt, previous.expiresAt);
    }
    const credential: Credential = { value: fetched.value, gen, expiresAt, fetchedAt: now, reason };
    const record = encodeRecord(credential, fetched.lifetimeMs, config.instanceId);
    const written = await guard(
      `publish the ${label}`,
      () => store.putIfNewer(keys.record, record, expiresAt - now),
      true,
    );
    if (!written) {
      // A fetch that started after ours published first: its credential is the newer one.
      const newer = await readShared();
      if (newer !== undefined && newer.gen > gen && usable(newer, clock.now())) {
        logger.info({ credential: label, gen, newerGen: newer.gen }, `kept a newer ${label}`);
        return settle(newer);
      }
    }
    logger.info(
      {
        credential: label,
        reason,
        gen,
        expiresInS: Math.round(fetched.lifetimeMs / 1000),
        fingerprint: fingerprint(fetched.value),
      },
      `${label} fetched`,
    );
    return settle(credential);
  }

  /**
   * No refresh for this rejection: the rejected credential stays current (back into L1), so
   * callers keep using it and get WeChat's error instead of each costing a fetch (a cold load
   * would not adopt a rejected value again).
   */
  function spaced(options: LoadOptions): RejectedRefreshSpaced {
    const held = options.held;
    if (l1 === undefined && held !== undefined && usable(held, clock.now())) l1 = held;
    if (spacingLoggedUntil !== rejectedRefreshNotBefore) {
      spacingLoggedUntil = rejectedRefreshNotBefore;
      logger.warn(
        {
          credential: label,
          fingerprint: options.rejected === undefined ? undefined : fingerprint(options.rejected),
          retryInMs: Math.max(0, Math.round(rejectedRefreshNotBefore - clock.now())),
        },
        `WeChat rejected the ${label} again soon after a refresh for a rejection; no refresh until the spacing ends`,
      );
    }
    return new RejectedRefreshSpaced(label);
  }

  /**
   * Claims the right to a rejection-driven refresh, under the lease (so callers of other
   * instances wait for a refresh in flight instead of being refused). The spacing is fleet-wide:
   * a store key whose TTL is the interval (setIfAbsent, so the store's clock decides, as for the
   * force_refresh spacing), plus this process's own deadline, which saves the store round trips
   * while spaced and still holds when the store is down.
   */
  async function claimRejectedRefresh(owner: string, options: LoadOptions): Promise<void> {
    const interval = config.rejectedRefreshMinIntervalMs;
    if (clock.now() < rejectedRefreshNotBefore) throw spaced(options);
    const claimed = await guard(
      `claim a ${label} refresh after a rejection`,
      () => store.setIfAbsent(keys.rejectedRefresh, owner, interval),
      true,
    );
    if (!claimed) {
      const entry = await guard(
        `read the ${label} rejection spacing`,
        () => store.get(keys.rejectedRefresh),
        undefined,
      );
      const remaining = Math.min(entry?.ttlMs ?? interval, interval);
      rejectedRefreshNotBefore = clock.now() + remaining;
      throw spaced(options);
    }
    rejectedRefreshNotBefore = clock.now() + interval;
  }

  function warnIfEchoed(credential: Credential, options: LoadOptions): void {
    if (options.rejected !== credential.value) return;
    const print = fingerprint(credential.value);
    if (echoWarned === print) return;
    echoWarned = print;
    logger.warn(
      {
        credential: label,
        fingerprint: print,
        spacingMs: config.rejectedRefreshMinIntervalMs,
      },
      `the refresh after a rejection brought back the rejected ${label}: WeChat still considers it current`,
    );
  }

  async function load(reason: RefreshReason, options: LoadOptions): Promise<Credential> {
    if (reason !== 'forced') {
      const shared = await readShared();
      if (shared !== undefined && acceptable(shared, reason, options)) return settle(shared);
      if (reason === 'rejected' && clock.now() < rejectedRefreshNotBefore) throw spaced(options);
      const gate = failure;
      if (gate !== undefined && clock.now() < gate.retryAt) throw gate.error;
    }
    const owner = `${config.instanceId}:${(leaseSeq += 1)}`;
    const published = await takeLease(owner, reason, options);
    if (published !== undefined) return settle(published);
    // Real time, not the injected clock: the lease expires by the store's clock, in real time.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), config.lease.fetchDeadlineMs);
    try {
      if (reason !== 'forced') {
        // Re-check under the lease: the previous holder may have published just now.
        const shared = await readShared();
        if (shared !== undefined && acceptable(shared, reason, options)) return settle(shared);
        const rejected = options.rejected;
        if (reason === 'rejected' && rejected !== undefined) {
          await claimRejectedRefresh(owner, options);
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
      const credential = await fetchAndPublish(reason, options, deadline.signal);
      if (reason === 'rejected') warnIfEchoed(credential, options);
      return credential;
    } finally {
      clearTimeout(timer);
      await guard(
        `release the ${label} lease`,
        () => store.deleteIfEquals(keys.lease, owner),
        false,
      );
    }
  }

  function runShared(reason: RefreshReason, options: LoadOptions): Promise<Credential> {
    const run: Promise<Credential> = load(reason, options).finally(() => {
      if (inflight === run) {
        inflight = undefined;
        inflightReason = undefined;
      }
    });
    inflight = run;
    inflightReason = reason;
    return run;
  }

  async function obtain(reason: 'cold' | 'rejected', options: LoadOptions): Promise<Credential> {
    if (l1 !== undefined && satisfies(l1, reason, options)) return l1;
    const pending = inflight;
    if (pending !== undefined) {
      const pendingReason = inflightReason;
      try {
        const result = await pending;
        if (satisfies(result, reason, options)) return result;
      } catch (error) {
        if (error instanceof RejectedRefreshSpaced) {
          // The rejected credential stays current: a cold caller gets it like any other.
          if (reason === 'cold' && l1 !== undefined && usable(l1, clock.now())) return l1;
          if (reason === 'rejected') throw error;
        } else if (pendingReason !== 'ahead' && pendingReason !== 'forced') {
          // A cold or rejected load that just failed answers for everyone who waited on it.
          throw error;
        }
      }
      if (l1 !== undefined && satisfies(l1, reason, options)) return l1;
    }
    return inflight ?? runShared(reason, options);
  }

  function current(): Credential | undefined {
    const now = clock.now();
    const held = l1;
    if (held === undefined || !usable(held, now)) return undefined;
    if (inflight === undefined && now >= held.expiresAt - config.aheadMs && now >= aheadNotBefore) {
      // Failures are logged and backed off inside; callers keep the current credential.
      runShared('ahead', {}).catch(() => undefined);
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
      if (lastRejected !== value) {
        lastRejected = value;
        logger.warn(
          { credential: label, fingerprint: fingerprint(value) },
          `WeChat rejected the cached ${label}; refreshing once`,
        );
      }
      const held = l1?.value === value ? l1 : undefined;
      if (held !== undefined) l1 = undefined;
      return obtain('rejected', { rejected: value, held }).catch((error: unknown) => {
        if (error instanceof RejectedRefreshSpaced) return undefined;
        throw error;
      });
    },

    async refresh(force) {
      await inflight?.catch(() => undefined);
      return runShared('forced', { force });
    },

    peek: () => l1,
    peekShared: readShared,

    clearBackoff() {
      failure = undefined;
      failures = 0;
      aheadNotBefore = 0;
    },

    async idle() {
      while (inflight !== undefined) await inflight.catch(() => undefined);
    },
  };
}
