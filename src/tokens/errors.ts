/**
 * The token provider's own error: no valid access_token (or jsapi_ticket) can be handed out. A
 * plain Error like the upstream ones; src/errors.ts maps it for clients by its reason and errcode.
 */

export type TokenUnavailableReason =
  /** A circuit breaker is open after an error no retry can fix (credentials, whitelist, quota). */
  | 'breaker-open'
  /** Upstream kept failing (-1, network) and no valid token is left. */
  | 'upstream-failing'
  /** Another instance holds the refresh lease and did not publish a token in time. */
  | 'lease-timeout'
  /** An admin asked for a forced refresh beyond WeChat's budget (20 a day, 30 s apart). */
  | 'force-budget'
  /**
   * WeChat rejected the token and the budget of refreshes for rejected tokens is spent: no token
   * call until it refills (`retryAt`), and the rejected token is not handed out meanwhile.
   */
  | 'refresh-budget';

/** No valid access token (or jsapi_ticket) can be handed out right now. */
export class TokenUnavailableError extends Error {
  readonly appName: string;
  readonly reason: TokenUnavailableReason;
  /** Which credential could not be had: the client message and the log name it. */
  readonly credential: 'access_token' | 'jsapi_ticket';
  /** The WeChat errcode behind it, when there is one (e.g. 40125, 45009). */
  readonly errcode: number | undefined;
  readonly rid: string | undefined;
  /** When a retry may succeed (ms since epoch), if known. */
  readonly retryAt: number | undefined;

  constructor(
    appName: string,
    reason: TokenUnavailableReason,
    message: string,
    extra: {
      errcode?: number;
      rid?: string;
      retryAt?: number;
      cause?: unknown;
      /** Default access_token. */
      credential?: 'access_token' | 'jsapi_ticket';
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.appName = appName;
    this.reason = reason;
    this.credential = extra.credential ?? 'access_token';
    this.errcode = extra.errcode;
    this.rid = extra.rid;
    this.retryAt = extra.retryAt;
  }
}
