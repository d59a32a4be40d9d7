/**
 * The factories of the gateway's own GraphQL errors: one per `extensions.code` the gateway raises
 * by itself (the mapping of upstream and token failures lives in src/app/errors.ts). Every folder
 * may use them; they import nothing of ours but the code list.
 */
import { GraphQLError } from 'graphql';
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode };

// The gateway's own errors. No `originalError` on purpose: yoga masks any GraphQLError that wraps
// a plain Error.

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * `refusedBeforeParsing`: the request was refused before yoga parsed it, where yoga does not
 * set the status of GraphQL-over-HTTP itself: HTTP 400 for a client that accepts
 * application/graphql-response+json, 200 under application/json (`spec`), as for the operation's
 * other static limits.
 */
export function queryTooComplex(
  message: string,
  options: { refusedBeforeParsing?: boolean } = {},
): GraphQLError {
  const http = options.refusedBeforeParsing ? { http: { spec: true, status: 400 } } : {};
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...http } });
}

/**
 * A request whose transport is broken (e.g. `variables` that are not JSON): yoga's own code and
 * status for a POST body that is not JSON, which its GET and form parsers would report as a 500.
 */
export function malformedRequest(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_REQUEST', http: { spec: true, status: 400 } },
  });
}

const WWW_AUTHENTICATE = 'Bearer realm="wechat-graphql-gateway"';

/** HTTP 401 when it ends the operation before anything runs. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } },
    },
  });
}

/** HTTP 403 when it ends the operation before anything runs. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/**
 * The gateway's own abuse limit (per client address), not WeChat's: `retryAfter` is whole seconds
 * until the limit lets this caller through again.
 */
export function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds },
  });
}

/** The token store (sessions live there too) could not be written; nothing was half-done. */
export function storeUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
}

/**
 * `after` points before what the event log still keeps (EVENTS_RETAIN per app): the events in
 * between are gone, and the client has to start over from what is kept.
 */
export function eventsExpired(after: string): GraphQLError {
  return new GraphQLError(
    `The events after "${after}" are no longer kept (the log keeps the last EVENTS_RETAIN events per app), so some are lost to this reader. Start over: read \`events\` without \`after\`, or subscribe without it.`,
    { extensions: { code: 'EVENTS_EXPIRED' } },
  );
}
