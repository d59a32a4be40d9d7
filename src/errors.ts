/**
 * The one place where failures become what a GraphQL client sees. Upstream and token errors map to
 * `extensions.code` (+ `extensions.wechat { errcode, rid }`); anything unexpected stays masked.
 * Public messages are written here, never copied from WeChat: its errmsg can echo the server's IP.
 */
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import {
  TokenUnavailableError,
  UpstreamUnavailableError,
  WechatApiError,
} from './wechat/errors.js';

export type ClientErrorCode =
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_MISCONFIGURED'
  | 'UPSTREAM_REJECTED';

interface ErrcodeRule {
  code: ClientErrorCode;
  message: string;
}

/** Every errcode with its own row in the README's error table; others are UPSTREAM_REJECTED. */
export const ERRCODE_RULES: ReadonlyMap<number, ErrcodeRule> = new Map<number, ErrcodeRule>([
  [-1, { code: 'UPSTREAM_UNAVAILABLE', message: 'WeChat reported a system error; retry shortly.' }],
  [40003, { code: 'BAD_USER_INPUT', message: 'WeChat does not know this openid for this app.' }],
  [
    40029,
    {
      code: 'BAD_USER_INPUT',
      message: 'The code is invalid, expired or belongs to another app; get a new one.',
    },
  ],
  [40163, { code: 'BAD_USER_INPUT', message: 'The code was already used; codes work once.' }],
  [40030, { code: 'BAD_USER_INPUT', message: 'The refresh token is invalid.' }],
  [41008, { code: 'BAD_USER_INPUT', message: 'A code is required.' }],
  [41009, { code: 'BAD_USER_INPUT', message: 'An openid is required.' }],
  [40032, { code: 'BAD_USER_INPUT', message: 'WeChat rejected the size of the openid list.' }],
  [
    45009,
    {
      code: 'RATE_LIMITED',
      message: "WeChat's daily quota for this call is used up; it resets at midnight Beijing time.",
    },
  ],
  [
    45011,
    { code: 'RATE_LIMITED', message: "WeChat's per-minute limit was reached; retry in a minute." },
  ],
  [
    40001,
    {
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'WeChat rejected the access token again after a refresh; retry shortly.',
    },
  ],
  [
    40014,
    {
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'WeChat rejected the access token again after a refresh; retry shortly.',
    },
  ],
  [
    42001,
    {
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'WeChat rejected the access token again after a refresh; retry shortly.',
    },
  ],
  [40013, { code: 'UPSTREAM_MISCONFIGURED', message: 'WeChat rejected the configured appId.' }],
  [
    40125,
    { code: 'UPSTREAM_MISCONFIGURED', message: 'WeChat rejected the configured app secret.' },
  ],
  [
    40164,
    {
      code: 'UPSTREAM_MISCONFIGURED',
      message: "This server's IP address is not in the app's WeChat API IP whitelist.",
    },
  ],
  [
    40243,
    {
      code: 'UPSTREAM_MISCONFIGURED',
      message: "The app's secret is frozen in the WeChat console.",
    },
  ],
  [41002, { code: 'UPSTREAM_MISCONFIGURED', message: 'WeChat received no appId.' }],
  [41004, { code: 'UPSTREAM_MISCONFIGURED', message: 'WeChat received no app secret.' }],
  [
    48001,
    {
      code: 'UPSTREAM_MISCONFIGURED',
      message: 'This app is not authorized for this WeChat API (account type or scope).',
    },
  ],
  [
    89503,
    {
      code: 'UPSTREAM_MISCONFIGURED',
      message: "WeChat waits for the account admin to confirm this server's IP address.",
    },
  ],
]);

export function ruleForErrcode(errcode: number): ErrcodeRule {
  return (
    ERRCODE_RULES.get(errcode) ?? {
      code: 'UPSTREAM_REJECTED',
      message: `WeChat rejected the request (errcode ${errcode}).`,
    }
  );
}

/** No `originalError` on purpose: yoga masks any GraphQLError that wraps a plain Error. */
export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

interface ClientError {
  message: string;
  extensions: Record<string, unknown>;
}

const wechatExtension = (errcode: number | undefined, rid: string | undefined) =>
  errcode === undefined ? {} : { wechat: { errcode, rid: rid ?? null } };

function describeWechatError(error: WechatApiError): ClientError {
  const rule = ruleForErrcode(error.errcode);
  return {
    message: rule.message,
    extensions: { code: rule.code, ...wechatExtension(error.errcode, error.rid) },
  };
}

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
  code: ClientErrorCode;
  rule: ErrcodeRule | undefined;
} {
  const rule = error.errcode === undefined ? undefined : ERRCODE_RULES.get(error.errcode);
  const code =
    rule?.code === 'UPSTREAM_MISCONFIGURED' || rule?.code === 'RATE_LIMITED'
      ? rule.code
      : 'UPSTREAM_UNAVAILABLE';
  return { code, rule };
}

function describeTokenError(error: TokenUnavailableError): ClientError {
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
    case 'lease-timeout':
      return {
        message: 'Another gateway instance is refreshing the access token; retry shortly.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', ...retryAt },
      };
    case 'upstream-failing': {
      const { code, rule } = tokenFailureCause(error);
      return {
        message:
          code === 'UPSTREAM_UNAVAILABLE' || rule === undefined
            ? 'No valid access token: WeChat keeps failing; retry shortly.'
            : `No valid access token: ${rule.message}`,
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
      message: UNAVAILABLE_MESSAGES[error.kind],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    };
  }
  if (error instanceof TokenUnavailableError) return describeTokenError(error);
  return undefined;
}

/** The upstream error behind a (located) GraphQLError, if that is what it wraps. */
export function findUpstreamError(
  error: unknown,
): WechatApiError | UpstreamUnavailableError | TokenUnavailableError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (
      current instanceof WechatApiError ||
      current instanceof UpstreamUnavailableError ||
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
