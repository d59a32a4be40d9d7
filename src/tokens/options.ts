import type { TokenMode } from '../wechat/types.js';
import { backoffDelay } from './backoff.js';
import type { CredentialTimings, FetchPolicy } from './credential-config.js';

export interface TokenProviderOptions {
  /** Refresh-ahead starts this long before expiry; default 10 min (stable mode: clamped, see below). */
  refreshAheadMs?: number;
  /** Up to this much is taken off refreshAheadMs per instance; default 60 s. */
  refreshJitterMs?: number;
  /** Breaker cool-down after a credential / whitelist error; default 60 s. */
  credentialCooldownMs?: number;
  /** Warn once a day when token calls pass this; default 100. */
  quotaWarnThreshold?: number;
  /**
   * Bounded wait for another instance's fetch; default 8 s. Must be longer than leaseTtlMs, so
   * that the lease of a holder that crashed expires within the wait and a waiter takes over.
   */
  leaseWaitMs?: number;
  /**
   * Lease lifetime: after this, another instance may fetch; default 6 s. A fetch (all its
   * attempts) is aborted after three quarters of it, so a holder never outlives its lease.
   */
  leaseTtlMs?: number;
  /** Poll interval while waiting for a lease; default 25 ms. */
  leasePollMs?: number;
  /** Backoff after a failed refresh: first delay (doubling), default 1 s... */
  retryBaseMs?: number;
  /** ...capped at this, default 60 s. */
  retryCapMs?: number;
  /**
   * Refreshes caused by a rejected token (40001/40014/42001) spend from a budget: at most this
   * many at once (default 3), fleet-wide while the store answers, per instance while it does not.
   * With none left, a rejected call is retried only with a different token (from the store),
   * else it fails: no token call. See rejection-budget.ts for the numbers.
   */
  rejectedRefreshBurst?: number;
  /** One refresh comes back into the budget every this many ms; default 2 min. */
  rejectedRefreshRefillMs?: number;
}

/**
 * stable_token normal mode hands out the current token unchanged until its last 300 s, then a new
 * one (wechat-api.md §2.3). Refreshing earlier would cost a call and bring back the same token,
 * so in stable mode the refresh-ahead window is clamped to start inside those 300 s.
 */
const STABLE_ROTATION_WINDOW_MS = 300_000;
const STABLE_ROTATION_MARGIN_MS = 15_000;
/** Stop handing out a token this long before its expiry: a request made then lands in time. */
const TOKEN_EXPIRY_MARGIN_MS = 10_000;
const COLD_ATTEMPTS = 3;
const FETCH_SHARE_OF_LEASE = 0.75;
const COLD_RETRY_DELAY_MS = 200;

export const DEFAULT_TOKEN_PROVIDER_OPTIONS: Readonly<Required<TokenProviderOptions>> = {
  refreshAheadMs: 10 * 60_000,
  refreshJitterMs: 60_000,
  credentialCooldownMs: 60_000,
  quotaWarnThreshold: 100,
  leaseWaitMs: 8_000,
  leaseTtlMs: 6_000,
  leasePollMs: 25,
  retryBaseMs: 1_000,
  retryCapMs: 60_000,
  rejectedRefreshBurst: 3,
  rejectedRefreshRefillMs: 2 * 60_000,
};

const OPTION_NAMES: readonly (keyof TokenProviderOptions)[] = [
  'refreshAheadMs',
  'refreshJitterMs',
  'credentialCooldownMs',
  'quotaWarnThreshold',
  'leaseWaitMs',
  'leaseTtlMs',
  'leasePollMs',
  'retryBaseMs',
  'retryCapMs',
  'rejectedRefreshBurst',
  'rejectedRefreshRefillMs',
];

/** The options with their defaults filled in; throws a RangeError on a value that cannot work. */
export function resolveOptions(options: TokenProviderOptions = {}): Required<TokenProviderOptions> {
  const resolved = { ...DEFAULT_TOKEN_PROVIDER_OPTIONS };
  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    const zeroAllowed = name === 'refreshJitterMs';
    if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
      throw new RangeError(`token provider option ${name} must be a positive number, got ${value}`);
    }
    resolved[name] = value;
  }
  if (!Number.isInteger(resolved.rejectedRefreshBurst)) {
    throw new RangeError(
      `token provider option rejectedRefreshBurst must be a whole number, got ${resolved.rejectedRefreshBurst}`,
    );
  }
  if (resolved.leaseWaitMs <= resolved.leaseTtlMs) {
    throw new RangeError(
      `token provider option leaseWaitMs (${resolved.leaseWaitMs}) must be longer than leaseTtlMs (${resolved.leaseTtlMs}): a waiter must outlast a crashed holder's lease`,
    );
  }
  return resolved;
}

/** The timings a token provider runs on, derived once per instance from its options. */
export interface TokenTimings {
  token: CredentialTimings;
  ticket: CredentialTimings;
  /** Shared by the token and the ticket. */
  fetchPolicy: FetchPolicy;
}

/**
 * The timings of one app's provider. Per-instance jitter is drawn once here (token first, then
 * ticket): instances of a fleet reach their refresh-ahead window at different times.
 */
export function deriveTokenTimings(
  options: Required<TokenProviderOptions>,
  mode: TokenMode,
  random: () => number,
): TokenTimings {
  // One draw per credential (token first, then ticket): the token's fraction serves both of its
  // windows, so a legacy-mode instance keeps its place in the fleet's order with either endpoint.
  const tokenDraw = random();
  const ticketDraw = random();
  const ahead = (windowMs: number, draw: number): number =>
    windowMs - draw * Math.min(options.refreshJitterMs, windowMs / 4);
  const stableWindowMs = Math.min(
    options.refreshAheadMs,
    STABLE_ROTATION_WINDOW_MS - STABLE_ROTATION_MARGIN_MS,
  );
  const stableAheadMs = ahead(stableWindowMs, tokenDraw);
  const legacyAheadMs = ahead(options.refreshAheadMs, tokenDraw);
  const ticketAheadMs = ahead(options.refreshAheadMs, ticketDraw);
  const backoff = { baseMs: options.retryBaseMs, capMs: options.retryCapMs };
  return {
    token: {
      aheadMs: (credential) =>
        (credential.mode ?? mode) === 'stable' ? stableAheadMs : legacyAheadMs,
      expiryMarginMs: TOKEN_EXPIRY_MARGIN_MS,
      retryUnchangedAt: (_current, now, streak) => now + backoffDelay(streak, backoff, random),
    },
    ticket: {
      aheadMs: () => ticketAheadMs,
      // Tickets are used by browsers after we hand them out, not by our own in-flight requests.
      expiryMarginMs: 0,
      // getticket hands out the same ticket until it expires; the next new one comes only then.
      retryUnchangedAt: (current) => current.expiresAt,
    },
    fetchPolicy: {
      lease: {
        ttlMs: options.leaseTtlMs,
        // The last quarter is left for publishing the result and releasing the lease.
        fetchDeadlineMs: options.leaseTtlMs * FETCH_SHARE_OF_LEASE,
        waitMs: options.leaseWaitMs,
        pollMs: options.leasePollMs,
      },
      backoff,
      coldAttempts: COLD_ATTEMPTS,
      coldRetryDelayMs: COLD_RETRY_DELAY_MS,
      rejectedRefreshBudget: {
        capacity: options.rejectedRefreshBurst,
        refillMs: options.rejectedRefreshRefillMs,
      },
    },
  };
}
