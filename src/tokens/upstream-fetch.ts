import { nextWechatDayStart, type Clock } from '../shared/clock.js';
import { errcodeRow, isTokenRejection } from '../wechat/errcodes.js';
import { UpstreamUnavailableError, WechatApiError } from '../wechat/errors.js';
import type { WechatHttp } from '../wechat/http.js';
import type { RawAccessToken, RawTicket, TokenMode, WechatAppConfig } from '../wechat/types.js';
import { nextMinuteStart } from './backoff.js';
import type { Breaker } from './breaker.js';
import { TokenUnavailableError } from './errors.js';
import type { QuotaLedger } from './ledger.js';
import type { RefreshReason } from './types.js';

export const STABLE_TOKEN_API = '/cgi-bin/stable_token';
export const LEGACY_TOKEN_API = '/cgi-bin/token';
export const TICKET_API = '/cgi-bin/ticket/getticket';

function lifetimeMs(expiresIn: unknown, api: string): number {
  const seconds = Number(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UpstreamUnavailableError(api, 'bad-response', 'answer without a valid expires_in');
  }
  return seconds * 1000;
}

/** What an upstream fetch returns. */
export interface Fetched {
  value: string;
  /** `expires_in` in ms, counted from receipt. */
  lifetimeMs: number;
  /** Set when the endpoint family is not the app's (see createTokenFetch below). */
  mode?: TokenMode;
}

/** What a fetch is asked for besides its reason. */
export interface FetchRequest {
  /** stable_token `force_refresh` (an admin's forced refresh, within the budget). */
  force: boolean;
  /** The store could not be asked: this instance fetches without the fleet. */
  uncoordinated: boolean;
}

export type CredentialFetch = (
  reason: RefreshReason,
  request: FetchRequest,
  signal: AbortSignal,
) => Promise<Fetched>;

/**
 * May a legacy-mode app still try `/cgi-bin/token` after stable_token refused `error`? Not for
 * errors that any token call would get (credentials, whitelist: the breaker is open) nor for
 * transient ones (the caller retries the whole fetch); yes for stable_token's own quota and for
 * anything that says this account may not use it.
 */
function legacyMayFollow(error: unknown): boolean {
  if (!(error instanceof WechatApiError)) return false;
  const { action } = errcodeRow(error.errcode);
  return action !== 'breaker-cooldown' && action !== 'retry';
}

/**
 * One access_token call, in the app's mode: breaker checked first, the call counted in the
 * ledger, and the errors a retry cannot fix turned into typed errors (breaker, 45011 wait).
 *
 * A legacy-mode app that cannot reach the store asks stable_token (normal mode) first: every
 * `/cgi-bin/token` call supersedes the token before it, and WeChat keeps only the newest two
 * alive, so three or more uncoordinated instances would keep killing each other's tokens; normal
 * mode hands every caller the same token and leaves legacy tokens alone (wechat-api.md §2.3).
 * Only if stable_token refuses in a way of its own does it fall back to `/cgi-bin/token`.
 */
export function createTokenFetch(deps: {
  app: WechatAppConfig;
  http: WechatHttp;
  breaker: Breaker;
  ledger: QuotaLedger;
  clock: Clock;
}): CredentialFetch {
  const { app, http, breaker, ledger, clock } = deps;

  async function onError(error: WechatApiError, force: boolean): Promise<void> {
    await ledger.recordFailure(error.errcode);
    const rid = error.rid === undefined ? {} : { rid: error.rid };
    const { action } = errcodeRow(error.errcode);
    if (force && action === 'breaker-until-tomorrow') {
      // Over the force_refresh budget: normal mode still works, so no breaker.
      throw new TokenUnavailableError(
        app.name,
        'force-budget',
        `WeChat refused a forced refresh for app "${app.name}" (${error.errcode}): today's force_refresh budget is spent`,
        { errcode: error.errcode, ...rid, retryAt: nextWechatDayStart(clock.now()), cause: error },
      );
    }
    const until = await breaker.trip(error);
    if (until !== undefined) {
      throw new TokenUnavailableError(
        app.name,
        'breaker-open',
        `token calls for app "${app.name}" are paused until ${new Date(until).toISOString()}: WeChat answered errcode ${error.errcode}`,
        { errcode: error.errcode, ...rid, retryAt: until, cause: error },
      );
    }
    if (action === 'wait-next-minute') {
      const retryAt = nextMinuteStart(clock.now());
      throw new TokenUnavailableError(
        app.name,
        'upstream-failing',
        `WeChat's per-minute limit for app "${app.name}" is reached (${error.errcode}); next attempt after ${new Date(retryAt).toISOString()}`,
        { errcode: error.errcode, ...rid, retryAt, cause: error },
      );
    }
  }

  async function call(
    mode: TokenMode,
    reason: RefreshReason,
    force: boolean,
    signal: AbortSignal,
  ): Promise<Fetched> {
    const api = mode === 'stable' ? STABLE_TOKEN_API : LEGACY_TOKEN_API;
    await ledger.recordTokenCall(api, reason);
    const credentials = {
      grant_type: 'client_credential',
      appid: app.appId,
      secret: app.appSecret,
    };
    // force_refresh is only ever sent for an admin's forced refresh, within the budget.
    const raw =
      mode === 'stable'
        ? await http.postJson<RawAccessToken>(
            api,
            {},
            force ? { ...credentials, force_refresh: true } : credentials,
            { signal },
          )
        : await http.get<RawAccessToken>(api, credentials, { signal });
    if (typeof raw.access_token !== 'string' || raw.access_token === '') {
      throw new UpstreamUnavailableError(api, 'bad-response', 'answer without an access_token');
    }
    const fetched = { value: raw.access_token, lifetimeMs: lifetimeMs(raw.expires_in, api) };
    return mode === app.tokenMode ? fetched : { ...fetched, mode };
  }

  return async (reason, { force, uncoordinated }, signal) => {
    await breaker.assertClosed();
    if (app.tokenMode === 'legacy' && uncoordinated) {
      try {
        return await call('stable', reason, false, signal);
      } catch (error) {
        if (!(error instanceof WechatApiError)) throw error;
        if (!legacyMayFollow(error)) {
          await onError(error, false);
          throw error;
        }
        // stable_token's own refusals (its quota, not authorized) say nothing about legacy.
        await ledger.recordFailure(error.errcode);
      }
    }
    try {
      return await call(app.tokenMode, reason, force, signal);
    } catch (error) {
      if (error instanceof WechatApiError) await onError(error, force);
      throw error;
    }
  };
}

/** One jsapi_ticket call, made with the app's access_token (and its single retry on rejection). */
export function createTicketFetch(deps: {
  http: WechatHttp;
  ledger: QuotaLedger;
  withAccessToken: <T>(call: (token: string) => Promise<T>) => Promise<T>;
}): CredentialFetch {
  const { http, ledger } = deps;
  return (_reason, _request, signal) =>
    deps.withAccessToken(async (accessToken) => {
      await ledger.recordTicketCall();
      let raw: RawTicket;
      try {
        raw = await http.get<RawTicket>(
          TICKET_API,
          { access_token: accessToken, type: 'jsapi' },
          { signal },
        );
      } catch (error) {
        if (error instanceof WechatApiError && !isTokenRejection(error.errcode)) {
          await ledger.recordFailure(error.errcode);
        }
        throw error;
      }
      // An empty ticket signs pages that fail in the browser ("invalid signature"): never cache it.
      if (typeof raw.ticket !== 'string' || raw.ticket === '') {
        throw new UpstreamUnavailableError(TICKET_API, 'bad-response', 'answer without a ticket');
      }
      return { value: raw.ticket, lifetimeMs: lifetimeMs(raw.expires_in, TICKET_API) };
    });
}
