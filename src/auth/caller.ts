/** Who a request is, from its `Authorization` header: one header, four kinds of caller. */
import { parseAuthorization } from './bearer.js';
import type { Keyring } from './keyring.js';
import type { Session, Sessions } from './sessions.js';

export type Caller =
  | { kind: 'anonymous' }
  /** A header that proves nothing: never treated as anonymous. */
  | { kind: 'invalid' }
  | { kind: 'service' }
  | { kind: 'admin' }
  | { kind: 'session'; session: Session };

/** Which kinds of credential the server accepts at all: an unset key disables its fields. */
export interface EnabledCredentials {
  readonly admin: boolean;
  readonly service: boolean;
  readonly session: boolean;
}

export interface Authenticator {
  readonly enabled: EnabledCredentials;
  /** Synchronous for keys, anonymous calls and sessions this instance checked within a second. */
  identify(authorization: string | null): Caller | Promise<Caller>;
}

const ANONYMOUS: Caller = { kind: 'anonymous' };
const INVALID: Caller = { kind: 'invalid' };
const SERVICE: Caller = { kind: 'service' };
const ADMIN: Caller = { kind: 'admin' };

export function createAuthenticator(
  keyring: Keyring,
  sessions: Sessions | undefined,
): Authenticator {
  const asSession = (session: Session | undefined): Caller =>
    session === undefined ? INVALID : { kind: 'session', session };
  return {
    enabled: {
      admin: keyring.hasAdminKey,
      service: keyring.hasServiceKeys,
      session: sessions !== undefined,
    },
    identify(authorization) {
      const presented = parseAuthorization(authorization);
      if (presented.kind === 'none') return ANONYMOUS;
      if (presented.kind === 'malformed' || presented.kind === 'ambiguous') return INVALID;
      const key = keyring.match(presented.value);
      if (key === 'admin') return ADMIN;
      if (key === 'service') return SERVICE;
      if (sessions === undefined) return INVALID;
      const session = sessions.authenticate(presented.value);
      return session instanceof Promise ? session.then(asSession) : asSession(session);
    },
  };
}
