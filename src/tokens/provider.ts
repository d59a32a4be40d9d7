import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { isTokenRejection } from '../wechat/errcodes.js';
import { WechatApiError } from '../wechat/errors.js';
import type { WechatHttp } from '../wechat/http.js';
import type { WechatAppConfig } from '../wechat/types.js';
import { backoffDelay } from './backoff.js';
import { createBreaker } from './breaker.js';
import { createCachedCredential, type Credential } from './cached-credential.js';
import { createForceBudget } from './force-budget.js';
import { appKeys, fingerprint } from './keys.js';
import { createQuotaLedger } from './ledger.js';
import type { TokenStore } from './store.js';
import type { AccessTokenInfo, TicketInfo, TokenProvider } from './types.js';
import { createTicketFetch, createTokenFetch } from './upstream-fetch.js';

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
   * Refreshes caused by a rejected token (40001/40014/42001) are at least this far apart, across
   * the fleet when the store is shared; default 30 s. Within it a rejected call is retried only
   * with a different cached token, else it fails with WeChat's error: no token call.
   */
  rejectedRefreshMinIntervalMs?: number;
}

export interface TokenProviderDeps {
  app: WechatAppConfig;
  http: WechatHttp;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  options?: TokenProviderOptions;
  /** Real sleep between lease polls and quick cold retries; tests inject their own. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter; default Math.random. */
  random?: () => number;
  /** Names this process in the store (lease owner, `by` of records); default host:pid:random. */
  instanceId?: string;
}

/** A TokenProvider plus what its owner (main, tests) needs to shut down cleanly. */
export interface LocalTokenProvider extends TokenProvider {
  /** Resolves once no refresh (background included) is in flight. */
  idle(): Promise<void>;
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
  rejectedRefreshMinIntervalMs: 30_000,
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
  'rejectedRefreshMinIntervalMs',
];

function resolveOptions(options: TokenProviderOptions = {}): Required<TokenProviderOptions> {
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
  if (resolved.leaseWaitMs <= resolved.leaseTtlMs) {
    throw new RangeError(
      `token provider option leaseWaitMs (${resolved.leaseWaitMs}) must be longer than leaseTtlMs (${resolved.leaseTtlMs}): a waiter must outlast a crashed holder's lease`,
    );
  }
  return resolved;
}

/** The token provider of one WeChat app (contract in src/tokens/types.ts). */
export function createTokenProvider(deps: TokenProviderDeps): LocalTokenProvider {
  const { app, http, store, clock } = deps;
  const options = resolveOptions(deps.options);
  const random = deps.random ?? Math.random;
  const instanceId =
    deps.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const logger = deps.logger.child({ app: app.name, appId: app.appId, tokenMode: app.tokenMode });
  const keys = appKeys(app.appId, app.appSecret, app.tokenMode);
  const publicApp = Object.freeze({
    name: app.name,
    kind: app.kind,
    appId: app.appId,
    tokenMode: app.tokenMode,
  });

  const ledger = createQuotaLedger({
    key: keys.ledger,
    store,
    clock,
    logger,
    warnThreshold: options.quotaWarnThreshold,
  });
  const breaker = createBreaker({
    appName: app.name,
    key: keys.breaker,
    store,
    clock,
    logger,
    credentialCooldownMs: options.credentialCooldownMs,
  });

  // Per-instance jitter, drawn once: instances of a fleet reach their window at different times.
  const jitterFor = (windowMs: number): number =>
    random() * Math.min(options.refreshJitterMs, windowMs / 4);
  const tokenWindowMs =
    app.tokenMode === 'stable'
      ? Math.min(options.refreshAheadMs, STABLE_ROTATION_WINDOW_MS - STABLE_ROTATION_MARGIN_MS)
      : options.refreshAheadMs;
  const tokenAheadMs = tokenWindowMs - jitterFor(tokenWindowMs);
  const ticketAheadMs = options.refreshAheadMs - jitterFor(options.refreshAheadMs);
  const backoff = { baseMs: options.retryBaseMs, capMs: options.retryCapMs };
  const lease = {
    ttlMs: options.leaseTtlMs,
    // The last quarter is left for publishing the result and releasing the lease.
    fetchDeadlineMs: options.leaseTtlMs * FETCH_SHARE_OF_LEASE,
    waitMs: options.leaseWaitMs,
    pollMs: options.leasePollMs,
  };
  const shared = {
    appName: app.name,
    store,
    clock,
    logger,
    lease,
    backoff,
    coldAttempts: COLD_ATTEMPTS,
    coldRetryDelayMs: COLD_RETRY_DELAY_MS,
    sleep: deps.sleep ?? ((ms: number) => sleep(ms)),
    random,
    instanceId,
  };

  const token = createCachedCredential({
    ...shared,
    label: 'access_token',
    keys: keys.token,
    fetch: createTokenFetch({ app, http, breaker, ledger, clock }),
    aheadMs: tokenAheadMs,
    expiryMarginMs: TOKEN_EXPIRY_MARGIN_MS,
    keepExpiryWhenUnchanged: false,
    retryUnchangedAt: (_current, now, streak) => now + backoffDelay(streak, backoff, random),
    rejectedRefreshMinIntervalMs: options.rejectedRefreshMinIntervalMs,
  });

  async function callWithToken<T>(
    used: Credential,
    call: (token: string) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(used.value);
    } catch (error) {
      if (!(error instanceof WechatApiError) || !isTokenRejection(error.errcode)) {
        throw error;
      }
      const stillCached = token.peek()?.value === used.value;
      // invalidate() drops the token from L1 at once, so concurrent rejections count once.
      const refreshed = token.invalidate(used.value);
      if (stillCached) void ledger.recordFailure(error.errcode);
      const fresh = await refreshed;
      // Too soon after the last refresh for a rejection and no other token cached: no retry.
      if (fresh === undefined) throw error;
      // Exactly one retry, whatever it brings: a second rejection goes to the caller.
      return call(fresh.value);
    }
  }

  // Not async: with a token in memory (nearly every call) the upstream call starts at once,
  // without first awaiting an already-resolved promise.
  function withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const held = token.current();
    if (held !== undefined) return callWithToken(held, call);
    return token.get().then((used) => callWithToken(used, call));
  }

  const ticket = createCachedCredential({
    ...shared,
    label: 'jsapi_ticket',
    keys: keys.ticket,
    fetch: createTicketFetch({ http, ledger, withAccessToken }),
    aheadMs: ticketAheadMs,
    // Tickets are used by browsers after we hand them out, not by our own in-flight requests.
    expiryMarginMs: 0,
    keepExpiryWhenUnchanged: true,
    // getticket hands out the same ticket until it expires; the next new one comes only then.
    retryUnchangedAt: (current) => current.expiresAt,
    // Nothing invalidates a ticket: WeChat's rejections concern the token it was fetched with.
    rejectedRefreshMinIntervalMs: options.rejectedRefreshMinIntervalMs,
  });

  const forceBudget = createForceBudget({
    appName: app.name,
    spacingKey: keys.forceSpacing,
    owner: instanceId,
    store,
    ledger,
    clock,
  });

  const tokenInfo = (credential: Credential): AccessTokenInfo => ({
    value: credential.value,
    expiresAt: credential.expiresAt,
    fetchedAt: credential.fetchedAt,
    mode: app.tokenMode,
  });
  const ticketInfo = (credential: Credential): TicketInfo => ({
    value: credential.value,
    expiresAt: credential.expiresAt,
    fetchedAt: credential.fetchedAt,
  });

  return {
    app: publicApp,

    async getAccessToken() {
      return tokenInfo(await token.get());
    },

    withAccessToken,

    async refreshAccessToken({ force }) {
      // force_refresh only exists for stable_token; a legacy call always issues a new token.
      const forceRefresh = force && app.tokenMode === 'stable';
      if (forceRefresh) {
        await breaker.assertClosed();
        await forceBudget.reserve();
      }
      logger.info({ force: forceRefresh }, 'access_token refresh requested by an admin');
      return tokenInfo(await token.refresh(forceRefresh));
    },

    async getJsapiTicket() {
      return ticketInfo(await ticket.get());
    },

    async status() {
      const current = token.peek() ?? (await token.peekShared());
      const [breakerState, ledgerDay] = await Promise.all([breaker.state(), ledger.today()]);
      return {
        appName: app.name,
        appId: app.appId,
        mode: app.tokenMode,
        tokenFingerprint: current === undefined ? null : fingerprint(current.value),
        expiresAt: current?.expiresAt ?? null,
        fetchedAt: current?.fetchedAt ?? null,
        lastRefreshReason: current?.reason ?? null,
        breaker: breakerState,
        ledger: ledgerDay,
      };
    },

    async resetBreaker() {
      await breaker.reset();
      token.clearBackoff();
      ticket.clearBackoff();
    },

    async idle() {
      await Promise.all([token.idle(), ticket.idle()]);
    },
  };
}
