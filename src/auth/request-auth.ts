/** One request's view of its caller: identified once, on first use. */
import type { GraphQLError } from 'graphql';
import type { AccessLevel } from './access-rules.js';
import type { Authenticator, Caller } from './caller.js';
import type { Session } from './sessions.js';
import { accessDenial } from './verdict.js';

export interface RequestAuth {
  /** Who the request is; synchronous in steady state. */
  caller(): Caller | Promise<Caller>;
  /** The kind of caller once identified (for the access log), without identifying it. */
  identified(): Caller['kind'] | undefined;
  /**
   * Resolver-level check behind the enforcement plugin (defence in depth): throws the error that
   * refuses `field` of `level` to this caller. Only valid once the enforcement has run.
   */
  require(field: string, level: AccessLevel): void;
  /** The request's session, for SESSION fields; throws like `require` otherwise. */
  session(field: string): Session;
}

export function createRequestAuth(
  authenticator: Authenticator,
  authorization: string | null,
): RequestAuth {
  let identified: Caller | Promise<Caller> | undefined;
  let resolved: Caller | undefined;
  const denial = (field: string, level: AccessLevel): GraphQLError | undefined => {
    if (resolved === undefined) throw new Error('the caller is read before it was identified');
    return accessDenial(field, level, resolved, authenticator.enabled);
  };
  return {
    caller() {
      if (resolved !== undefined) return resolved;
      identified ??= authenticator.identify(authorization);
      if (identified instanceof Promise) {
        return identified.then((caller) => {
          resolved = caller;
          return caller;
        });
      }
      resolved = identified;
      return resolved;
    },
    identified: () => resolved?.kind,
    require(field, level) {
      const error = denial(field, level);
      if (error) throw error;
    },
    session(field) {
      const error = denial(field, 'SESSION');
      if (error) throw error;
      if (resolved?.kind !== 'session') throw new Error('a session field ran without a session');
      return resolved.session;
    },
  };
}
