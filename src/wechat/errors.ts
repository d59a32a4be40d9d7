/**
 * Errors raised by the upstream client and the token provider. They are plain Errors (not
 * GraphQLErrors); the GraphQL layer maps them to `extensions.code` in one place. Messages never
 * contain secrets, tokens, codes or an upstream URL's query string.
 */

/** WeChat answered with a non-zero errcode. */
export class WechatApiError extends Error {
  readonly errcode: number;
  readonly rid: string | undefined;
  /** Path of the upstream endpoint, without query string, e.g. `/cgi-bin/user/info`. */
  readonly api: string;

  constructor(api: string, errcode: number, errmsg: string, rid?: string) {
    super(`WeChat ${api} failed: errcode ${errcode} (${errmsg})`);
    this.api = api;
    this.errcode = errcode;
    this.rid = rid;
  }
}

export type UpstreamFailureKind = 'timeout' | 'network' | 'bad-response';

/** WeChat could not be reached, timed out, or sent something that is not a WeChat body. */
export class UpstreamUnavailableError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly api: string;

  constructor(
    api: string,
    kind: UpstreamFailureKind,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`WeChat ${api} unavailable (${kind}): ${detail}`, options);
    this.api = api;
    this.kind = kind;
  }
}

export type TokenUnavailableReason =
  /** A circuit breaker is open after an error no retry can fix (credentials, whitelist, quota). */
  | 'breaker-open'
  /** Upstream kept failing (-1, network) and no valid token is left. */
  | 'upstream-failing'
  /** Another instance holds the refresh lease and did not publish a token in time. */
  | 'lease-timeout'
  /** An admin asked for a forced refresh beyond WeChat's budget (20 a day, 30 s apart). */
  | 'force-budget';

/** No valid access token (or jsapi_ticket) can be handed out right now. */
export class TokenUnavailableError extends Error {
  readonly appName: string;
  readonly reason: TokenUnavailableReason;
  /** The WeChat errcode behind it, when there is one (e.g. 40125, 45009). */
  readonly errcode: number | undefined;
  readonly rid: string | undefined;
  /** When a retry may succeed (ms since epoch), if known. */
  readonly retryAt: number | undefined;

  constructor(
    appName: string,
    reason: TokenUnavailableReason,
    message: string,
    extra: { errcode?: number; rid?: string; retryAt?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.appName = appName;
    this.reason = reason;
    this.errcode = extra.errcode;
    this.rid = extra.rid;
    this.retryAt = extra.retryAt;
  }
}

/** Token-rejection errcodes: invalidate (compare-and-delete), refresh once, retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
