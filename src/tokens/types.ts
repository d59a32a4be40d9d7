import type { TokenMode, WechatAppConfig } from '../wechat/types.js';

export type RefreshReason = 'cold' | 'ahead' | 'rejected' | 'forced';

export type { TokenCacheObserver, TokenCacheResult } from '../observability/observers.js';

export interface AccessTokenInfo {
  value: string;
  /** ms since epoch, computed locally from `expires_in` at receipt (never another host's clock). */
  expiresAt: number;
  fetchedAt: number;
  mode: TokenMode;
}

export interface TicketInfo {
  value: string;
  expiresAt: number;
  fetchedAt: number;
}

export interface BreakerState {
  open: boolean;
  /** The errcode that opened it (e.g. 40125, 45009). */
  errcode: number | null;
  /** Human text naming the cause, safe to show an admin. */
  reason: string | null;
  openedAt: number | null;
  /** When token calls resume on their own (ms since epoch). */
  until: number | null;
}

/** One WeChat day (UTC+8) of upstream spending for one app. */
export interface QuotaLedgerDay {
  /** `YYYY-MM-DD` in Beijing time. */
  day: string;
  tokenCalls: { endpoint: string; reason: RefreshReason; count: number }[];
  failures: { errcode: number; count: number }[];
  ticketCalls: number;
  /**
   * The store could not be read: these are this process's last figures for the day (or zeros),
   * and may lag behind what the fleet has spent meanwhile.
   */
  stale: boolean;
}

/** The budget of refreshes for rejected tokens (rejection-budget.ts), as one instance reads it. */
export interface RefreshBudgetState {
  /** Refreshes that may run right now. */
  remaining: number;
  /** The burst: at most this many at once. */
  capacity: number;
  /** One refresh comes back every this many ms. */
  refillMs: number;
  /** When the next one comes back (local ms); null while the budget is full. */
  nextRefillAt: number | null;
  /** True when the store could not be read: this instance's own budget, spent while uncoordinated. */
  local: boolean;
  /**
   * Set while this instance refuses the app's calls: WeChat rejected its token and no refresh
   * is left, so every call fails with TOKEN_UNAVAILABLE (no upstream call) until then, unless
   * the store brings a newer token first. Local ms; null while calls go through. The breaker
   * stays closed meanwhile: this is the budget's refusal, not the breaker's.
   */
  refusedUntil: number | null;
}

export interface TokenStatus {
  appName: string;
  appId: string;
  mode: TokenMode;
  /** Short non-reversible fingerprint of the current token, never the token. */
  tokenFingerprint: string | null;
  expiresAt: number | null;
  fetchedAt: number | null;
  lastRefreshReason: RefreshReason | null;
  breaker: BreakerState;
  ledger: QuotaLedgerDay;
  rejectedRefreshBudget: RefreshBudgetState;
}

/**
 * One per configured app, shared by all requests (reached through the GraphQL context).
 * Hot path: a valid token comes from process memory with no store round trip.
 */
export interface TokenProvider {
  readonly app: Readonly<Omit<WechatAppConfig, 'appSecret'>>;
  /** A valid token; may start a background refresh-ahead; waits only when none is valid. */
  getAccessToken(): Promise<AccessTokenInfo>;
  /**
   * Runs `call` with a valid token. If it throws a WechatApiError with 40001/40014/42001, the
   * cache is invalidated only if it still holds that token, one shared refresh runs, and `call`
   * is retried once with the new token. Never more than one retry.
   */
  withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T>;
  /** Admin refresh. `force` uses stable_token force_refresh within WeChat's budget. */
  refreshAccessToken(options: { force: boolean }): Promise<AccessTokenInfo>;
  /** The JS-SDK jsapi_ticket, cached and shared like the token. */
  getJsapiTicket(): Promise<TicketInfo>;
  status(): Promise<TokenStatus>;
  /**
   * Until when this instance refuses the app's calls because the refresh budget is spent (see
   * RefreshBudgetState.refusedUntil); null while calls go through. From memory: no store read.
   */
  refusedUntil(): number | null;
  /** Admin: close the circuit breaker before its cool-down ends. */
  resetBreaker(): Promise<void>;
}
