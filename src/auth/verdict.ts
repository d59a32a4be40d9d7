/**
 * The access table (README, "Access") as one function: may this caller use a field of this
 * level? No or bad credential → UNAUTHENTICATED; a valid one that is not enough → FORBIDDEN;
 * a field whose credential kind the server does not accept at all → FORBIDDEN (disabled, never
 * open). Messages name the field and what it needs, never which keys or sessions exist.
 */
import type { GraphQLError } from 'graphql';
import { forbidden, unauthenticated } from '../shared/graphql-errors.js';
import type { AccessLevel } from './access-rules.js';
import type { Caller, EnabledCredentials } from './caller.js';

export const INVALID_CREDENTIAL_MESSAGE =
  'The Authorization header does not hold a valid credential: an unknown key, or a session ' +
  'that expired, was logged out or was not issued for this server. Log in again for a new ' +
  'session, or send no Authorization header to call public fields.';

const NEEDS: Record<Exclude<AccessLevel, 'PUBLIC'>, string> = {
  SESSION:
    'needs a session: log in with the `login` mutation, then send "Authorization: Bearer <token>"',
  SERVICE: 'needs a service key: send "Authorization: Bearer <SERVICE_API_KEY>"',
  SESSION_OR_SERVICE:
    "needs a session of the app it is asked for (the user's own data) or a service key",
  ADMIN: 'needs the admin key: send "Authorization: Bearer <ADMIN_API_KEY>"',
};

const DISABLED: Record<Exclude<AccessLevel, 'PUBLIC'>, string> = {
  SESSION: 'the server has no SESSION_SECRET, so nobody can log in',
  SERVICE: 'the server has neither SERVICE_API_KEYS nor ADMIN_API_KEY',
  SESSION_OR_SERVICE: 'the server has no SESSION_SECRET and no service or admin key',
  ADMIN: 'the server has no ADMIN_API_KEY',
};

const WRONG_KIND: Record<Exclude<AccessLevel, 'PUBLIC'>, string> = {
  SESSION: 'acts for one logged-in user and needs their session token; a key cannot use it',
  SERVICE: 'is for back-office services (a service key); a user session cannot use it',
  SESSION_OR_SERVICE: 'needs a session of the app it is asked for or a service key',
  ADMIN: 'needs the admin key; this credential is not the admin key',
};

function isEnabled(level: Exclude<AccessLevel, 'PUBLIC'>, enabled: EnabledCredentials): boolean {
  if (level === 'SESSION') return enabled.session;
  if (level === 'SERVICE') return enabled.service || enabled.admin;
  if (level === 'SESSION_OR_SERVICE') return enabled.session || enabled.service || enabled.admin;
  return enabled.admin;
}

function admits(level: Exclude<AccessLevel, 'PUBLIC'>, caller: Caller): boolean {
  if (level === 'SESSION') return caller.kind === 'session';
  if (level === 'SERVICE') return caller.kind === 'service' || caller.kind === 'admin';
  if (level === 'SESSION_OR_SERVICE') return caller.kind !== 'anonymous';
  return caller.kind === 'admin';
}

/** Undefined when `caller` may use `field`; otherwise the error that refuses it. */
export function accessDenial(
  field: string,
  level: AccessLevel,
  caller: Caller,
  enabled: EnabledCredentials,
): GraphQLError | undefined {
  if (caller.kind === 'invalid') return unauthenticated(INVALID_CREDENTIAL_MESSAGE);
  if (level === 'PUBLIC') return undefined;
  if (!isEnabled(level, enabled)) {
    return forbidden(`"${field}" is disabled: ${DISABLED[level]}.`);
  }
  if (admits(level, caller)) return undefined;
  if (caller.kind === 'anonymous') return unauthenticated(`"${field}" ${NEEDS[level]}.`);
  return forbidden(`"${field}" ${WRONG_KIND[level]}.`);
}
