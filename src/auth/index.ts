/**
 * The access model in one piece (README, "Access"): keys, sessions, abuse limits. createApp builds
 * one per gateway; the enforcement plugin (enforce.ts) and the resolvers use what it returns.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import {
  DEFAULT_GLOBAL_RATE_LIMITS,
  DEFAULT_IPV6_PREFIX_BITS,
  DEFAULT_KEY_FAILURE_LIMIT,
  type AccessConfig,
} from '../config/access.js';
import type { Clock } from '../shared/clock.js';
import type { AppRegistry } from '../apps/gateway-apps.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import type { AccessLevel } from './access-rules.js';
import { useAuthorizationGate } from './authorization-gate.js';
import { createAuthenticator, type Authenticator } from './caller.js';
import { createKeyLockout } from './key-lockout.js';
import { createKeyring } from './keyring.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { createRequestAuth, type RequestAuth } from './request-auth.js';
import { createSessions, type Sessions } from './sessions.js';
import { accessDenial } from './verdict.js';

export type { AccessLevel } from './access-rules.js';
export type { Caller } from './caller.js';
export type { RequestAuth } from './request-auth.js';
export type { RateLimitName } from './rate-limit.js';
export type { Session, Sessions } from './sessions.js';

export interface AccessControl {
  readonly authenticator: Authenticator;
  /** Undefined without SESSION_SECRET: login is disabled. */
  readonly sessions: Sessions | undefined;
  readonly limiter: RateLimiter;
  /**
   * The plugin that checks the Authorization header of every HTTP request before any route
   * reads it: one credential only, wrong keys lock the client out (authorization-gate.ts).
   */
  readonly gate: Plugin;
  forRequest(authorization: string | null): RequestAuth;
  /** For routes outside GraphQL (/metrics): the error refusing `what` of `level`, if any. */
  check(
    authorization: string | null,
    what: string,
    level: AccessLevel,
  ): Promise<GraphQLError | undefined>;
}

export function createAccessControl(
  config: Omit<AccessConfig, 'jssdkAllowedHosts'>,
  deps: { apps: AppRegistry; store: TokenStore; clock: Clock; logger: Logger },
): AccessControl {
  const keyring = createKeyring(config);
  const sessions =
    config.sessionSecrets.length === 0
      ? undefined
      : createSessions({
          secrets: config.sessionSecrets,
          ttlMs: config.sessionTtlMs,
          revocationFailOpenMs: config.sessionRevocationFailOpenMs ?? Infinity,
          ...deps,
        });
  const authenticator = createAuthenticator(keyring, sessions);
  const ipv6PrefixBits = config.ipv6PrefixBits ?? DEFAULT_IPV6_PREFIX_BITS;
  const lockout = createKeyLockout({
    limit: config.keyFailureLimit ?? DEFAULT_KEY_FAILURE_LIMIT,
    ipv6PrefixBits,
    ...deps,
  });
  return {
    authenticator,
    sessions,
    limiter: createRateLimiter({
      limits: config.rateLimits,
      globalLimits: config.globalRateLimits ?? DEFAULT_GLOBAL_RATE_LIMITS,
      ipv6PrefixBits,
      ...deps,
    }),
    gate: useAuthorizationGate({ keyring, lockout, trustProxyHops: config.trustProxyHops }),
    forRequest: (authorization) => createRequestAuth(authenticator, authorization),
    async check(authorization, what, level) {
      try {
        const caller = await authenticator.identify(authorization);
        return accessDenial(what, level, caller, authenticator.enabled);
      } catch (error) {
        // A session that cannot be checked right now (revocations.ts): refused with that error.
        if (error instanceof GraphQLError) return error;
        throw error;
      }
    },
  };
}
