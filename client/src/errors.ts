import type { ErrorCode } from '../../src/shared/error-codes.js';

/** Codes graphql-yoga itself puts on errors (the gateway's own are in ErrorCode). */
export type YogaErrorCode =
  'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR';

/**
 * Failures this client reports when no GraphQL answer came back: the request did not get through
 * (offline, DNS, TLS, a timeout), or something other than the gateway answered (a proxy's error
 * page).
 */
export type ClientFailureCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

/** Every code a GatewayError may carry (README, "Errors"). */
export type GatewayErrorCode = ErrorCode | YogaErrorCode | ClientFailureCode;

/** One entry of a GraphQL response's `errors`, as the gateway sends it. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** What WeChat said, when the error came from WeChat. */
export interface WechatErrorInfo {
  readonly errcode: number;
  /** WeChat's request id, to quote to WeChat support; null when WeChat sent none. */
  readonly rid: string | null;
}

/** An operation that did not return its data, with the gateway's `extensions.code`. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  /** A known code, or whatever a newer gateway sent. */
  readonly code: GatewayErrorCode | (string & {});
  /** The HTTP status (0 when no response came). */
  readonly status: number;
  /** Every error of the response (empty for NETWORK_ERROR and BAD_RESPONSE). */
  readonly errors: readonly GraphQLErrorEntry[];
  /** RATE_LIMITED: seconds until the limit's window ends. */
  readonly retryAfter: number | undefined;
  readonly wechat: WechatErrorInfo | undefined;

  constructor(
    code: GatewayErrorCode | (string & {}),
    message: string,
    details: { status: number; errors?: readonly GraphQLErrorEntry[]; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.errors = details.errors ?? [];
    const extensions = this.errors[0]?.extensions ?? {};
    this.retryAfter =
      typeof extensions['retryAfter'] === 'number' ? extensions['retryAfter'] : undefined;
    this.wechat = readWechat(extensions['wechat']);
  }
}

function readWechat(value: unknown): WechatErrorInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { errcode, rid } = value as Record<string, unknown>;
  if (typeof errcode !== 'number') return undefined;
  return { errcode, rid: typeof rid === 'string' ? rid : null };
}
