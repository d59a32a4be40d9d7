/**
 * The configuration of one cached credential (cached-credential.ts), grouped by concern. The
 * provider builds one per credential and every part of the credential (failure gate, lease,
 * rejection budget, fetch-and-publish, deferred publish, load path) is handed the same object,
 * typed by the groups it reads, rather than a copy of a flat bag spread into each.
 *
 * Types only, and below every module that reads them: nothing here imports a factory.
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import type { BackoffPolicy } from './backoff.js';
import type { Credential } from './credential-record.js';
import type { CredentialKeys } from './keys.js';
import type { TokenCacheResult } from './types.js';
import type { CredentialFetch } from './upstream-fetch.js';

/** Which credential of which app, and which process holds it: named in logs, errors and records. */
export interface CredentialIdentity {
  label: 'access_token' | 'jsapi_ticket';
  appName: string;
  /** Names this process in the store (lease owner, `by` of records). */
  instanceId: string;
}

/** What the credential runs on: the shared store, time, logs and chance. */
export interface CredentialRuntime {
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** Real sleep between lease polls and quick cold retries; tests inject their own. */
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** Where a fresh credential comes from. */
export interface CredentialUpstream {
  /** `signal` aborts the upstream request once the fetch deadline has passed. */
  fetch: CredentialFetch;
  /**
   * The jsapi_ticket's `expires_in` is always 7200, not the remaining life (wechat-api.md §8.1):
   * when the same ticket comes back, its known expiry is kept instead of being extended.
   */
  keepExpiryWhenUnchanged: boolean;
}

/** When one credential is refreshed ahead and until when it is handed out. */
export interface CredentialTimings {
  /**
   * Refresh-ahead starts this long before `credential`'s expiry (this instance's jitter already
   * applied). It follows the endpoint that issued the credential: a legacy-mode app holds a
   * stable token after an outage (see upstream-fetch.ts), and refreshing that one before its last
   * 300 s would only bring it back.
   */
  aheadMs(credential: Credential): number;
  /** Handed out only until this long before expiry. */
  expiryMarginMs: number;
  /** When a refresh-ahead that brought no fresher credential may be tried again. */
  retryUnchangedAt(current: Credential, now: number, streak: number): number;
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

/** How fetches are coordinated across the fleet, retried, backed off and rationed. */
export interface FetchPolicy {
  lease: LeasePolicy;
  /** Backoff after a failed fetch (cold callers and refresh-ahead). */
  backoff: BackoffPolicy;
  /** Attempts for a caller that has no valid credential (-1 and network faults only). */
  coldAttempts: number;
  coldRetryDelayMs: number;
  /**
   * Refreshes caused by a rejection spend from this budget (rejection-budget.ts): a credential
   * that WeChat keeps rejecting, or a token endpoint that keeps handing it back, must not cost a
   * fetch per wave of failing calls.
   */
  rejectedRefreshBudget: { capacity: number; refillMs: number };
}

/** Who is told what happens. */
export interface CredentialHooks {
  /** Told where each lookup (memory) and each load (store or WeChat) found the credential. */
  onCache?: (result: TokenCacheResult) => void;
}

export interface CachedCredentialConfig {
  identity: CredentialIdentity;
  /** The credential's store keys (record, lease, generation, rejection budget). */
  keys: CredentialKeys;
  runtime: CredentialRuntime;
  upstream: CredentialUpstream;
  timings: CredentialTimings;
  fetchPolicy: FetchPolicy;
  hooks: CredentialHooks;
}
