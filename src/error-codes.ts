/**
 * Every `extensions.code` a GraphQL client can see from the gateway (README, "Errors"). Yoga's own
 * codes (GRAPHQL_VALIDATION_FAILED, BAD_REQUEST, INTERNAL_SERVER_ERROR) come on top of these.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_MISCONFIGURED'
  | 'UPSTREAM_REJECTED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'QUERY_TOO_COMPLEX'
  | 'EVENTS_EXPIRED';
