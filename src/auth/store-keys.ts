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

/** One client's counter of one limit in one window. */
export function rateLimitKey(limit: string, window: number, client: string): string {
  const id = createHash('sha256').update(client).digest('hex').slice(0, 16);
  return `${LAYOUT}:rate:${limit}:${window}:${id}`;
}
