/**
 * The one table of WeChat errcodes (docs/wechat-api.md §10): what each one means, whether WeChat
 * may have acted before answering it, what the gateway does about it, and what a client sees.
 * The token core, the breaker, the user loader and the GraphQL error mapping all read it; a new
 * errcode is one row here (and one in the README's error table).
 */
import type { ErrorCode } from '../error-codes.js';

export type ErrcodeKind =
  /** WeChat's own fault (-1): the next attempt may work. */
  | 'system'
  /** The access_token is invalid, not the latest, or expired (40001, 40014, 42001). */
  | 'token-rejected'
  /** The app's credentials or network setup is wrong; a person has to fix it. */
  | 'credentials'
  /** A quota or rate limit of WeChat's. */
  | 'quota'
  /** The app may not call this API (account type, scope, authorization). */
  | 'not-authorized'
  /** An argument the caller chose is wrong (code, openid, list size…). */
  | 'bad-input'
  /** Anything without a row. */
  | 'other';

export type ErrcodeAction =
  /** Transient: an idempotent call may be repeated after a short pause. */
  | 'retry'
  /** Drop the token where it is still cached, refresh once, retry the call once. */
  | 'refresh-token'
  /** On the token endpoint: open the app's breaker for the credential cool-down. */
  | 'breaker-cooldown'
  /** On the token endpoint: open the app's breaker until the next WeChat day (00:00 UTC+8). */
  | 'breaker-until-tomorrow'
  /** No call before the next wall-clock minute. */
  | 'wait-next-minute'
  /** A whole batchget fails for one unknown openid: split the batch to pin it down. */
  | 'split-batch'
  /** Nothing to do but tell the caller. */
  | 'report';

export interface ErrcodeRow {
  /** WeChat's short errmsg for it, shown to admins (never a client message). */
  readonly name: string;
  readonly kind: ErrcodeKind;
  /**
   * 'none': WeChat refused before doing anything, so repeating the call cannot duplicate an effect.
   * 'unknown': the call may have been applied (a send must not be repeated blindly).
   */
  readonly effect: 'none' | 'unknown';
  readonly action: ErrcodeAction;
  readonly code: ErrorCode;
  /** What the client reads; written here, never copied from WeChat (its errmsg can echo our IP). */
  readonly message: string;
}

const TOKEN_REJECTED_MESSAGE =
  'WeChat rejected the access token again after a refresh; retry shortly.';

const row = (
  name: string,
  kind: ErrcodeKind,
  action: ErrcodeAction,
  code: ErrorCode,
  message: string,
  effect: ErrcodeRow['effect'] = 'none',
): ErrcodeRow => Object.freeze({ name, kind, effect, action, code, message });

// prettier-ignore -- one row per errcode reads as a table
export const ERRCODES: ReadonlyMap<number, ErrcodeRow> = new Map<number, ErrcodeRow>([
  [
    -1,
    row(
      'system error',
      'system',
      'retry',
      'UPSTREAM_UNAVAILABLE',
      'WeChat reported a system error; retry shortly.',
      'unknown',
    ),
  ],
  [
    40001,
    row(
      'invalid credential, access_token is invalid or not latest',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    40014,
    row(
      'invalid access_token',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    42001,
    row(
      'access_token expired',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    40013,
    row(
      'invalid appid',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat rejected the configured appId.',
    ),
  ],
  [
    40125,
    row(
      'invalid appsecret',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat rejected the configured app secret.',
    ),
  ],
  [
    40164,
    row(
      'the gateway IP is not in the API IP whitelist',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      "This server's IP address is not in the app's WeChat API IP whitelist.",
    ),
  ],
  [
    40243,
    row(
      'the AppSecret is frozen',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      "The app's secret is frozen in the WeChat console.",
    ),
  ],
  [
    41002,
    row(
      'appid missing',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat received no appId.',
    ),
  ],
  [
    41004,
    row(
      'appsecret missing',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat received no app secret.',
    ),
  ],
  // Cleared by an admin's confirmation in WeChat, not by a cool-down: no breaker.
  [
    89503,
    row(
      "the IP awaits the admin's confirmation",
      'credentials',
      'report',
      'UPSTREAM_MISCONFIGURED',
      "WeChat waits for the account admin to confirm this server's IP address.",
    ),
  ],
  [
    48001,
    row(
      'api unauthorized',
      'not-authorized',
      'report',
      'UPSTREAM_MISCONFIGURED',
      'This app is not authorized for this WeChat API (account type or scope).',
    ),
  ],
  [
    45009,
    row(
      'daily quota exhausted',
      'quota',
      'breaker-until-tomorrow',
      'RATE_LIMITED',
      "WeChat's daily quota for this call is used up; it resets at midnight Beijing time.",
    ),
  ],
  [
    45011,
    row(
      'api minute-quota reached',
      'quota',
      'wait-next-minute',
      'RATE_LIMITED',
      "WeChat's per-minute limit was reached; retry in a minute.",
    ),
  ],
  [
    40003,
    row(
      'invalid openid',
      'bad-input',
      'split-batch',
      'BAD_USER_INPUT',
      'WeChat does not know this openid for this app.',
    ),
  ],
  [
    40029,
    row(
      'invalid code',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The code is invalid, expired or belongs to another app; get a new one.',
    ),
  ],
  [
    40163,
    row(
      'code been used',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The code was already used; codes work once.',
    ),
  ],
  [
    40030,
    row(
      'invalid refresh_token',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The refresh token is invalid.',
    ),
  ],
  [
    40032,
    row(
      'invalid openid list size',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the size of the openid list.',
    ),
  ],
  [41008, row('missing code', 'bad-input', 'report', 'BAD_USER_INPUT', 'A code is required.')],
  [41009, row('missing openid', 'bad-input', 'report', 'BAD_USER_INPUT', 'An openid is required.')],
]);

/** The row of an errcode; one without a row is reported as UPSTREAM_REJECTED, naming it. */
export function errcodeRow(errcode: number): ErrcodeRow {
  return (
    ERRCODES.get(errcode) ??
    row(
      `errcode ${errcode}`,
      'other',
      'report',
      'UPSTREAM_REJECTED',
      `WeChat rejected the request (errcode ${errcode}).`,
    )
  );
}

/** Whether the errcode asks for a token refresh and one retry (40001, 40014, 42001). */
export const isTokenRejection = (errcode: number): boolean =>
  ERRCODES.get(errcode)?.action === 'refresh-token';
