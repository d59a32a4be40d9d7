/**
 * The one place where upstream and token failures become what a GraphQL client sees: the mapping
 * to `extensions.code`
 * (+ `extensions.wechat { errcode, rid }`) through the errcode table; anything unexpected stays masked.
 * Public messages are written here, never copied from WeChat: its errmsg can echo the server's IP.
 */
import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../shared/error-codes.js';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { TokenUnavailableError } from '../tokens/errors.js';
import { ERRCODES, errcodeRow, type ErrcodeRow } from '../wechat/errcodes.js';
import {
  UpstreamOutcomeUnknownError,
  UpstreamUnavailableError,
  WechatApiError,
} from '../wechat/errors.js';

interface ClientError {
  message: string;
  extensions: Record<string, unknown>;
}

const wechatExtension = (errcode: number | undefined, rid: string | undefined) =>
  errcode === undefined ? {} : { wechat: { errcode, rid: rid ?? null } };

function describeWechatError(error: WechatApiError): ClientError {
  const rule = errcodeRow(error.errcode);
  // A recognised repeat names what went out the first time, when WeChat says (45065 does).
  const original = rule.code === 'ALREADY_SENT' ? { msgId: error.msgId ?? null } : {};
  return {
    message: rule.message,
    extensions: { code: rule.code, ...original, ...wechatExtension(error.errcode, error.rid) },
  };
}

const OUTCOME_UNKNOWN_MESSAGE =
  'WeChat received the request but its answer was lost, late or an error that does not say ' +
  'whether it acted, so the message may or may not have gone out. The gateway did not repeat ' +
  'it; repeating it may deliver it twice. With a clientMsgId, repeat it with the same id: ' +
  'WeChat then answers ALREADY_SENT if the first one went out.';

/** The request never left this host: WeChat did nothing (nothing was sent), a repeat is safe. */
const NOT_SENT_MESSAGE =
  'WeChat could not be reached; the request never left this server, so nothing was done. Retry shortly.';

const UNAVAILABLE_MESSAGES: Record<UpstreamUnavailableError['kind'], string> = {
  timeout: 'WeChat did not answer in time; retry shortly.',
  network: 'WeChat could not be reached; retry shortly.',
  'bad-response': 'WeChat sent a response that could not be read; retry shortly.',
};

/**
 * A token failure caused by an errcode keeps that errcode's code when a human or a back-off fixes
 * it (e.g. 45011 → RATE_LIMITED, 89503 → UPSTREAM_MISCONFIGURED); anything else is transient.
 */
function tokenFailureCause(error: TokenUnavailableError): {
  code: ErrorCode;
  rule: ErrcodeRow | undefined;
} {
  const rule = error.errcode === undefined ? undefined : ERRCODES.get(error.errcode);
  const code =
    rule?.code === 'UPSTREAM_MISCONFIGURED' || rule?.code === 'RATE_LIMITED'
      ? rule.code
      : 'UPSTREAM_UNAVAILABLE';
  return { code, rule };
}

/** What a client is told could not be had: a failed ticket fetch is not a token problem. */
const CREDENTIAL_NAMES: Record<TokenUnavailableError['credential'], string> = {
  access_token: 'access token',
  jsapi_ticket: 'jsapi_ticket (JS-SDK ticket)',
};

function describeTokenError(error: TokenUnavailableError): ClientError {
  const credential = CREDENTIAL_NAMES[error.credential];
  const retryAt =
    error.retryAt === undefined ? {} : { retryAt: new Date(error.retryAt).toISOString() };
  const wechat = wechatExtension(error.errcode, error.rid);
  switch (error.reason) {
    case 'breaker-open': {
      const { code, rule: cause } = tokenFailureCause(error);
      const until =
        error.retryAt === undefined ? '' : ` until ${new Date(error.retryAt).toISOString()}`;
      return {
        message: `Access-token calls for app "${error.appName}" are paused${until}: ${cause?.message ?? 'WeChat kept failing.'}`,
        extensions: { code, ...wechat, ...retryAt },
      };
    }
    case 'force-budget':
      return {
        message:
          'WeChat allows 20 forced token refreshes a day, at least 30 s apart; none is left right now' +
          (error.retryAt === undefined
            ? '.'
            : ` (next at ${new Date(error.retryAt).toISOString()}).`),
        extensions: { code: 'RATE_LIMITED', ...wechat, ...retryAt },
      };
    case 'refresh-budget':
      return {
        message:
          'WeChat keeps rejecting the access token and the gateway has spent its refreshes for now; retry later.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', ...retryAt },
      };
    case 'lease-timeout':
      return {
        message: `Another gateway instance is refreshing the ${credential}; retry shortly.`,
        extensions: { code: 'UPSTREAM_UNAVAILABLE', ...retryAt },
      };
    case 'upstream-failing': {
      const { code, rule } = tokenFailureCause(error);
      return {
        message:
          code === 'UPSTREAM_UNAVAILABLE' || rule === undefined
            ? `No valid ${credential}: WeChat keeps failing; retry shortly.`
            : `No valid ${credential}: ${rule.message}`,
        extensions: { code, ...wechat, ...retryAt },
      };
    }
  }
}

/** The client view of an upstream or token failure, or undefined for anything else. */
export function describeUpstreamError(error: unknown): ClientError | undefined {
  if (error instanceof WechatApiError) return describeWechatError(error);
  if (error instanceof UpstreamUnavailableError) {
    return {
      message: error.reached ? UNAVAILABLE_MESSAGES[error.kind] : NOT_SENT_MESSAGE,
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    };
  }
  if (error instanceof TokenUnavailableError) return describeTokenError(error);
  if (error instanceof UpstreamOutcomeUnknownError) {
    return {
      message: OUTCOME_UNKNOWN_MESSAGE,
      extensions: {
        code: 'UPSTREAM_OUTCOME_UNKNOWN',
        ...wechatExtension(error.errcode, error.rid),
      },
    };
  }
  return undefined;
}

/** The upstream error behind a (located) GraphQLError, if that is what it wraps. */
export function findUpstreamError(
  error: unknown,
):
  | WechatApiError
  | UpstreamUnavailableError
  | UpstreamOutcomeUnknownError
  | TokenUnavailableError
  | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (
      current instanceof WechatApiError ||
      current instanceof UpstreamUnavailableError ||
      current instanceof UpstreamOutcomeUnknownError ||
      current instanceof TokenUnavailableError
    ) {
      return current;
    }
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
}

/**
 * Yoga's `maskedErrors.maskError`: upstream failures become documented errors (keeping the
 * original as `originalError` for logs), everything else goes through yoga's default masking.
 */
export function maskGatewayError(error: unknown, message: string, isDev?: boolean): Error {
  const upstream = findUpstreamError(error);
  const described = upstream && describeUpstreamError(upstream);
  if (!upstream || !described) return yogaMaskError(error, message, isDev);
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(described.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    originalError: upstream,
    extensions: described.extensions,
  });
}
