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
