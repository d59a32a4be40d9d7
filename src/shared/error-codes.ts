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
  /** A send reached WeChat but its answer was lost, late or -1: it may or may not have gone out. */
  | 'UPSTREAM_OUTCOME_UNKNOWN'
  /** WeChat recognised a repeat (clientMsgId) of something it already sent; nothing new went out. */
  | 'ALREADY_SENT'
  /** The recipient does not follow the official account (43004). */
  | 'RECIPIENT_NOT_SUBSCRIBED'
  /** The recipient is on the official account's blacklist (43019). */
  | 'RECIPIENT_BLOCKED'
  /** The recipient has no subscribe-message consent left for the template (43101). */
  | 'NO_CONSENT'
  /** `after` names an event older than what the event log keeps. */
  | 'EVENTS_EXPIRED';
