/**
 * Store keys of the access model, relative to the token store's namespace. They hold a session's
 * id (a random UUID that alone grants nothing) or a hash of a client address: never a token, a
 * key, a session_key or an address itself.
 */
import { createHash } from 'node:crypto';

/** Bump when a layout or a value format changes. */
const LAYOUT = 'v1';

export function sessionStoreKeys(jti: string): { revoked: string; sessionKey: string } {
  return {
    revoked: `${LAYOUT}:session:${jti}:revoked`,
    sessionKey: `${LAYOUT}:session:${jti}:session-key`,
  };
}

const idOf = (client: string): string =>
  createHash('sha256').update(client).digest('hex').slice(0, 16);

/** One client's counter of one limit in one window. */
export function rateLimitKey(limit: string, window: number, client: string): string {
  return `${LAYOUT}:rate:${limit}:${window}:${idOf(client)}`;
}

/** The counter of one limit in one window for every client together. */
export function globalRateLimitKey(limit: string, window: number): string {
  return `${LAYOUT}:rate:${limit}:${window}:all`;
}

/** One client's wrong keys, counted for a day from the first one. */
export function keyFailuresKey(client: string): string {
  return `${LAYOUT}:key-failures:${idOf(client)}`;
}
