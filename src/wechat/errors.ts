/**
 * Errors raised by the upstream client. They are plain Errors (not GraphQLErrors); the GraphQL
 * layer maps them to `extensions.code` in one place (src/errors.ts, reading the errcode table).
 * Messages never contain secrets, tokens, codes or an upstream URL's query string.
 */

/** WeChat answered with a non-zero errcode. */
export class WechatApiError extends Error {
  readonly errcode: number;
  readonly rid: string | undefined;
  /** Path of the upstream endpoint, without query string, e.g. `/cgi-bin/user/info`. */
  readonly api: string;
  /**
   * An id WeChat put next to the errcode, as a string: the existing mass job of 45065, the
   * message of a recognised duplicate.
   */
  readonly msgId: string | undefined;
  /** How many requests the http layer made before this answer (2 after one retry). */
  attempts = 1;

  constructor(api: string, errcode: number, errmsg: string, rid?: string, msgId?: string) {
    super(`WeChat ${api} failed: errcode ${errcode} (${errmsg})`);
    this.api = api;
    this.errcode = errcode;
    this.rid = rid;
    this.msgId = msgId;
  }
}

export type UpstreamFailureKind = 'timeout' | 'network' | 'bad-response';

/** WeChat could not be reached, timed out, or sent something that is not a WeChat body. */
export class UpstreamUnavailableError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly api: string;
  /**
   * False when the request never left this host (connection refused, DNS, connect timeout):
   * WeChat cannot have acted on it.
   */
  readonly reached: boolean;

  constructor(
    api: string,
    kind: UpstreamFailureKind,
    detail: string,
    options?: { cause?: unknown; reached?: boolean },
  ) {
    super(`WeChat ${api} unavailable (${kind}): ${detail}`, { cause: options?.cause });
    this.api = api;
    this.kind = kind;
    this.reached = options?.reached ?? true;
  }
}

/**
 * A send (endpoints.ts, repeat 'send') may or may not have been carried out: the request reached
 * WeChat, but the answer was lost, late, unreadable or -1. The gateway does not repeat it.
 */
export class UpstreamOutcomeUnknownError extends Error {
  readonly api: string;
  /** -1 when WeChat answered "system error"; undefined after a transport failure. */
  readonly errcode: number | undefined;
  readonly rid: string | undefined;

  constructor(
    api: string,
    detail: string,
    options: { cause?: unknown; errcode?: number; rid?: string } = {},
  ) {
    super(`WeChat ${api}: outcome unknown (${detail})`, { cause: options.cause });
    this.api = api;
    this.errcode = options.errcode;
    this.rid = options.rid;
  }
}
