import { wechatDay, type Clock } from '../shared/clock.js';
import { newAccessToken } from './identifiers.js';
import {
  createTokenFamily,
  rotate,
  verdict,
  type IssuedToken,
  type TokenFamily,
} from './token-family.js';

/** WeChat's token lifetime and hand-over (§1.3, §2.3); an emulator may shorten both. */
export const DEFAULT_TOKEN_LIFETIME_MS = 7200_000;
export const DEFAULT_TOKEN_HANDOVER_MS = 300_000;
const FORCE_REFRESH_PER_DAY = 20;
const FORCE_REFRESH_SPACING_MS = 30_000;
/** Forget tokens a day after they expired (they then read as unknown → 40001). */
const FORGET_AFTER_MS = 24 * 3600_000;

export type Issued =
  | { readonly ok: true; readonly token: string; readonly expiresIn: number }
  | { readonly ok: false; readonly errcode: 45009 };

export type TokenCheck =
  | { readonly ok: true; readonly appId: string }
  | { readonly ok: false; readonly errcode: 40001 | 41001 | 42001 };

/** Issues and verifies cgi-bin access tokens (legacy and stable) for every app. */
export interface AccessTokens {
  /** `/cgi-bin/token` once the credentials passed: counts against the daily quota. */
  issueLegacy(appId: string): Issued;
  /** `/cgi-bin/stable_token` once the credentials passed. */
  issueStable(appId: string, forceRefresh: boolean): Issued;
  /** The check every business endpoint makes on `access_token`. */
  check(value: string | undefined): TokenCheck;
  /** The app a token belongs to, whatever its state (for call counters). */
  appIdOf(value: string | undefined): string | undefined;
  /** Rotate the stable token as force_refresh does, outside the budget. */
  forceRotateStable(appId: string): string;
  /** Every token of this app (legacy, stable, previous) is now past its lifetime. */
  expireAll(appId: string): void;
}

interface AppTokens {
  readonly legacy: TokenFamily;
  readonly stable: TokenFamily;
  legacyDay: string;
  legacyCount: number;
  forceDay: string;
  forceCount: number;
  lastForceAt: number | undefined;
}

interface Known {
  readonly token: IssuedToken;
  readonly family: TokenFamily;
}

/** Every token issued, by value, until a day after it expired. */
interface TokenLedger {
  mint(appId: string, family: TokenFamily, now: number): IssuedToken;
  check(value: string | undefined): TokenCheck;
  appIdOf(value: string | undefined): string | undefined;
  /** Every token of the app is past its lifetime from `now` on. */
  expireApp(appId: string, now: number): void;
}

function createTokenLedger(clock: Clock, lifetimeMs: number): TokenLedger {
  const known = new Map<string, Known>();
  let lastPruneAt = -Infinity;
  const prune = (now: number): void => {
    if (now - lastPruneAt < 3600_000) return;
    lastPruneAt = now;
    for (const [value, entry] of known) {
      if (entry.token.expiresAt + FORGET_AFTER_MS < now) known.delete(value);
    }
  };
  return {
    mint(appId, family, now) {
      prune(now);
      const token: IssuedToken = { value: newAccessToken(), appId, expiresAt: now + lifetimeMs };
      known.set(token.value, { token, family });
      return token;
    },
    check(value) {
      if (value === undefined || value === '') return { ok: false, errcode: 41001 };
      const entry = known.get(value);
      if (!entry) return { ok: false, errcode: 40001 };
      const result = verdict(entry.family, entry.token, clock.now());
      return result === 'valid'
        ? { ok: true, appId: entry.token.appId }
        : { ok: false, errcode: result };
    },
    appIdOf: (value) => (value === undefined ? undefined : known.get(value)?.token.appId),
    expireApp(appId, now) {
      for (const entry of known.values()) {
        if (entry.token.appId === appId) {
          entry.token.expiresAt = Math.min(entry.token.expiresAt, now);
        }
      }
    },
  };
}

/** What issuing needs: the ledger, the clock and the (possibly shortened) times. */
interface Issuing {
  readonly ledger: TokenLedger;
  readonly clock: Clock;
  readonly legacyDailyQuota: number;
  readonly lifetimeMs: number;
  readonly handoverMs: number;
}

const remainingSeconds = (token: IssuedToken, now: number): number =>
  Math.max(0, Math.floor((token.expiresAt - now) / 1000));

/** `/cgi-bin/token`: the daily quota, then a new token; the previous one keeps the hand-over. */
function issueLegacy(issuing: Issuing, appId: string, tokens: AppTokens): Issued {
  const now = issuing.clock.now();
  const day = wechatDay(now);
  if (tokens.legacyDay !== day) {
    tokens.legacyDay = day;
    tokens.legacyCount = 0;
  }
  if (tokens.legacyCount >= issuing.legacyDailyQuota) return { ok: false, errcode: 45009 };
  tokens.legacyCount += 1;
  const previous = tokens.legacy.current;
  const graceUntil = previous ? Math.min(previous.expiresAt, now + issuing.handoverMs) : 0;
  const next = issuing.ledger.mint(appId, tokens.legacy, now);
  rotate(tokens.legacy, next, graceUntil);
  return { ok: true, token: next.value, expiresIn: issuing.lifetimeMs / 1000 };
}

/** force_refresh invalidates the previous stable token at once (no grace), see §2.3. */
function forceRotate(issuing: Issuing, appId: string, tokens: AppTokens, now: number) {
  const next = issuing.ledger.mint(appId, tokens.stable, now);
  rotate(tokens.stable, next, 0);
  return next;
}

/** `stable_token` with `force_refresh`: the daily budget first, then the 30 s spacing. */
function forceRefresh(issuing: Issuing, appId: string, tokens: AppTokens, now: number): Issued {
  const day = wechatDay(now);
  if (tokens.forceDay !== day) {
    tokens.forceDay = day;
    tokens.forceCount = 0;
  }
  if (tokens.forceCount >= FORCE_REFRESH_PER_DAY) return { ok: false, errcode: 45009 };
  const current = tokens.stable.current;
  const tooEarly =
    tokens.lastForceAt !== undefined && now - tokens.lastForceAt < FORCE_REFRESH_SPACING_MS;
  // Too early: WeChat silently does not refresh; that costs no budget.
  if (tooEarly && current) {
    return { ok: true, token: current.value, expiresIn: remainingSeconds(current, now) };
  }
  tokens.forceCount += 1;
  tokens.lastForceAt = now;
  const next = forceRotate(issuing, appId, tokens, now);
  return { ok: true, token: next.value, expiresIn: issuing.lifetimeMs / 1000 };
}

/** `stable_token`: the same token until its last hand-over seconds, then a new one. */
function issueStable(
  issuing: Issuing,
  appId: string,
  tokens: AppTokens,
  forceRefreshing: boolean,
): Issued {
  const now = issuing.clock.now();
  if (forceRefreshing) return forceRefresh(issuing, appId, tokens, now);
  const current = tokens.stable.current;
  if (current && current.expiresAt - now > issuing.handoverMs) {
    return { ok: true, token: current.value, expiresIn: remainingSeconds(current, now) };
  }
  // Normal-mode hand-over: the old token lives out its own lifetime.
  const next = issuing.ledger.mint(appId, tokens.stable, now);
  rotate(tokens.stable, next, current ? current.expiresAt : 0);
  return { ok: true, token: next.value, expiresIn: issuing.lifetimeMs / 1000 };
}

export function createAccessTokens(options: {
  clock: Clock;
  appIds: readonly string[];
  legacyDailyQuota: number;
  /** Lifetime of every token issued; default 7200 s. */
  lifetimeMs?: number;
  /** Legacy: the previous token's grace. Stable: how early normal mode rotates. Default 300 s. */
  handoverMs?: number;
}): AccessTokens {
  const { clock, legacyDailyQuota } = options;
  const lifetimeMs = options.lifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
  const handoverMs = options.handoverMs ?? DEFAULT_TOKEN_HANDOVER_MS;
  const ledger = createTokenLedger(clock, lifetimeMs);
  const issuing: Issuing = { ledger, clock, legacyDailyQuota, lifetimeMs, handoverMs };
  const perApp = new Map<string, AppTokens>();
  for (const appId of options.appIds) {
    perApp.set(appId, {
      legacy: createTokenFamily(),
      stable: createTokenFamily(),
      legacyDay: '',
      legacyCount: 0,
      forceDay: '',
      forceCount: 0,
      lastForceAt: undefined,
    });
  }
  const state = (appId: string): AppTokens => {
    const found = perApp.get(appId);
    if (!found) throw new RangeError(`emulator has no app ${appId}`);
    return found;
  };
  return {
    issueLegacy: (appId) => issueLegacy(issuing, appId, state(appId)),
    issueStable: (appId, force) => issueStable(issuing, appId, state(appId), force),
    check: (value) => ledger.check(value),
    appIdOf: (value) => ledger.appIdOf(value),
    forceRotateStable: (appId) => forceRotate(issuing, appId, state(appId), clock.now()).value,
    expireAll(appId) {
      const tokens = state(appId);
      const now = clock.now();
      ledger.expireApp(appId, now);
      tokens.legacy.previousUntil = Math.min(tokens.legacy.previousUntil, now);
      tokens.stable.previousUntil = Math.min(tokens.stable.previousUntil, now);
    },
  };
}
