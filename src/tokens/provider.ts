import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import { isTokenRejection } from '../wechat/errcodes.js';
import { WechatApiError } from '../wechat/errors.js';
import type { WechatHttp } from '../wechat/http.js';
import type { WechatAppConfig } from '../wechat/types.js';
import { throughCallerGate } from './caller-gate.js';
import { createBreaker, type Breaker } from './breaker.js';
import {
  createCachedCredential,
  type CachedCredential,
  type Credential,
} from './cached-credential.js';
import { createForceBudget } from './force-budget.js';
import type { CredentialRuntime } from './credential-config.js';
import { appKeys, fingerprint, type AppKeys } from './keys.js';
import { createQuotaLedger, type QuotaLedger } from './ledger.js';
import {
  deriveTokenTimings,
  resolveOptions,
  type TokenProviderOptions,
  type TokenTimings,
} from './options.js';
import type { TokenStore } from '../store/store.js';
import type {
  AccessTokenInfo,
  TicketInfo,
  TokenCacheObserver,
  TokenProvider,
  TokenStatus,
} from './types.js';
import { createTicketFetch, createTokenFetch } from './upstream-fetch.js';

export { DEFAULT_TOKEN_PROVIDER_OPTIONS, type TokenProviderOptions } from './options.js';

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
  /** Told where each credential came from (memory, store, WeChat); default: nobody. */
  cacheObserver?: TokenCacheObserver;
}

/** A TokenProvider plus what its owner (main, tests) needs to shut down cleanly. */
export interface LocalTokenProvider extends TokenProvider {
  /** Resolves once no refresh (background included) is in flight. */
  idle(): Promise<void>;
}

/** Default for `TokenProviderDeps.instanceId`. */
function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The app as callers may see it: never the secret. */
function publicView(app: WechatAppConfig): TokenProvider['app'] {
  return Object.freeze({
    name: app.name,
    kind: app.kind,
    appId: app.appId,
    tokenMode: app.tokenMode,
  });
}

function tokenInfo(credential: Credential, mode: AccessTokenInfo['mode']): AccessTokenInfo {
  return {
    value: credential.value,
    expiresAt: credential.expiresAt,
    fetchedAt: credential.fetchedAt,
    // A legacy-mode app holds a stable token after fetching without the store.
    mode: credential.mode ?? mode,
  };
}

function ticketInfo(credential: Credential): TicketInfo {
  return {
    value: credential.value,
    expiresAt: credential.expiresAt,
    fetchedAt: credential.fetchedAt,
  };
}

/** What an admin sees: this instance's token, the fleet's breaker, ledger and refresh budget. */
async function readStatus(
  app: WechatAppConfig,
  token: CachedCredential,
  breaker: Breaker,
  ledger: QuotaLedger,
): Promise<TokenStatus> {
  const current = token.peek() ?? (await token.peekShared());
  const [breakerState, ledgerDay, budget] = await Promise.all([
    breaker.state(),
    ledger.today(),
    token.refreshBudget(),
  ]);
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
    rejectedRefreshBudget: budget,
  };
}

/**
 * `withAccessToken`: runs a call with the cached token and, when WeChat rejects that token,
 * replaces it (one shared refresh, within the rejection budget) and retries exactly once.
 */
function createWithAccessToken(
  token: CachedCredential,
  ledger: QuotaLedger,
): TokenProvider['withAccessToken'] {
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
      const stillCached = token.isCurrent(used);
      // invalidate() marks the token rejected at once, so concurrent rejections count once.
      const refreshed = token.invalidate(used);
      if (stillCached) void ledger.recordFailure(error.errcode);
      const fresh = await refreshed;
      // The refresh budget is spent and no other token is to be had: no retry.
      if (fresh === undefined) throw error;
      // Exactly one retry, whatever it brings: a second rejection goes to the caller.
      return call(fresh.value);
    }
  }

  // Not async: with a token in memory (nearly every call) the upstream call starts at once,
  // without first awaiting an already-resolved promise.
  return function withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const held = token.current();
    if (held !== undefined) return callWithToken(held, call);
    return token.get().then((used) => callWithToken(used, call));
  };
}

/** What one app's two credentials are built from, once the provider's defaults are filled in. */
interface CredentialParts {
  app: WechatAppConfig;
  http: WechatHttp;
  keys: AppKeys;
  instanceId: string;
  runtime: CredentialRuntime;
  timings: TokenTimings;
  ledger: QuotaLedger;
  breaker: Breaker;
  cacheObserver: TokenCacheObserver | undefined;
}

/**
 * The app's access_token and the jsapi_ticket fetched with it. Each has its own identity, keys,
 * fetch and timings; both run on the same runtime and fetch policy.
 */
function createCredentials(parts: CredentialParts): {
  token: CachedCredential;
  ticket: CachedCredential;
  withAccessToken: TokenProvider['withAccessToken'];
} {
  const { app, http, keys, instanceId, runtime, timings, ledger, breaker } = parts;
  const token = createCachedCredential({
    identity: { label: 'access_token', appName: app.name, instanceId },
    keys: keys.token,
    runtime,
    hooks: { onCache: parts.cacheObserver?.('access_token') },
    upstream: {
      fetch: createTokenFetch({ app, http, breaker, ledger, clock: runtime.clock }),
      keepExpiryWhenUnchanged: false,
    },
    timings: timings.token,
    fetchPolicy: timings.fetchPolicy,
  });
  const withAccessToken = createWithAccessToken(token, ledger);
  const ticket = createCachedCredential({
    identity: { label: 'jsapi_ticket', appName: app.name, instanceId },
    keys: keys.ticket,
    runtime,
    hooks: { onCache: parts.cacheObserver?.('jsapi_ticket') },
    upstream: {
      fetch: createTicketFetch({ http, ledger, withAccessToken }),
      keepExpiryWhenUnchanged: true,
    },
    timings: timings.ticket,
    // The same rejection budget's size as the token's, though nothing invalidates a ticket:
    // WeChat's rejections concern the token it was fetched with.
    fetchPolicy: timings.fetchPolicy,
  });
  return { token, ticket, withAccessToken };
}

/** The token provider of one WeChat app (contract in src/tokens/types.ts). */
export function createTokenProvider(deps: TokenProviderDeps): LocalTokenProvider {
  const { app, http, store, clock } = deps;
  const options = resolveOptions(deps.options);
  const random = deps.random ?? Math.random;
  const instanceId = deps.instanceId ?? defaultInstanceId();
  const logger = deps.logger.child({ app: app.name, appId: app.appId, tokenMode: app.tokenMode });
  const keys = appKeys(app.appId, app.appSecret, app.tokenMode);

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
  const { token, ticket, withAccessToken } = createCredentials({
    app,
    http,
    keys,
    instanceId,
    runtime: { store, clock, logger, sleep: deps.sleep ?? ((ms: number) => sleep(ms)), random },
    timings: deriveTokenTimings(options, app.tokenMode, random),
    ledger,
    breaker,
    cacheObserver: deps.cacheObserver,
  });
  const forceBudget = createForceBudget({
    appName: app.name,
    spacingKey: keys.forceSpacing,
    owner: instanceId,
    store,
    ledger,
    clock,
  });

  return {
    app: publicView(app),

    async getAccessToken() {
      return tokenInfo(await token.get(), app.tokenMode);
    },

    // Each WeChat call (and its one retry) waits for a slot of its caller (caller-gate.ts); the
    // ticket fetch inside uses the ungated one: it is shared by every caller.
    withAccessToken: (call) => withAccessToken((token) => throughCallerGate(() => call(token))),

    async refreshAccessToken({ force }) {
      // force_refresh only exists for stable_token; a legacy call always issues a new token.
      const forceRefresh = force && app.tokenMode === 'stable';
      if (forceRefresh) {
        await breaker.assertClosed();
        await forceBudget.reserve();
      }
      logger.info({ force: forceRefresh }, 'access_token refresh requested by an admin');
      return tokenInfo(await token.refresh(forceRefresh), app.tokenMode);
    },

    async getJsapiTicket() {
      return ticketInfo(await ticket.get());
    },

    status: () => readStatus(app, token, breaker, ledger),

    refusedUntil: () => token.refusedUntil(),

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
