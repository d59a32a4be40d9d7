/**
 * The `Authorization` header, checked once per HTTP request before any route (GraphQL,
 * `/metrics`) reads it:
 *
 * - **One credential only.** Two `Authorization` headers, or one holding a comma (what a proxy
 *   makes of two), are refused with UNAUTHENTICATED (HTTP 401): node:http would keep the first
 *   of two headers and drop the other, so which credential counts would depend on the order.
 * - **Wrong keys lock a client out** (key-lockout.ts): a key-shaped credential from a client
 *   that is locked out is refused with RATE_LIMITED (HTTP 429, `Retry-After`) without being
 *   compared, and a wrong one is counted.
 *
 * Synchronous for requests without a header and for right keys: only a wrong key waits for the
 * store.
 */
import type { Plugin } from 'graphql-yoga';
import { clientAddress, type ClientSocketContext } from './client-address.js';
import { parseAuthorization } from './bearer.js';
import type { KeyLockout } from './key-lockout.js';
import type { Keyring } from './keyring.js';
import { looksLikeSessionToken } from './session-token.js';

export const AMBIGUOUS_AUTHORIZATION_MESSAGE =
  'The request carries more than one credential (two Authorization headers, or one with a ' +
  'comma): send exactly one "Authorization: Bearer <credential>".';

const WWW_AUTHENTICATE = 'Bearer realm="wechat-graphql-gateway"';

/** node:http's raw header list (name, value, name, value, …), when the request came through it. */
interface RawHeadersContext extends ClientSocketContext {
  req?: ClientSocketContext['req'] & { rawHeaders?: readonly string[] };
}

/** Whether the raw request had more than one Authorization header (node:http keeps the first). */
function repeatedAuthorization(context: RawHeadersContext): boolean {
  const raw = context.req?.rawHeaders;
  if (raw === undefined) return false;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') seen += 1;
  }
  return seen > 1;
}

function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  error: { message: string; extensions: Record<string, unknown> },
  headers: Record<string, string>,
): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [error] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

const lockedOut = (fetchAPI: { Response: typeof Response }, seconds: number): Response =>
  errorResponse(
    fetchAPI,
    429,
    {
      message: `Too many wrong keys from this address: keys from it are refused for ${seconds} s.`,
      extensions: { code: 'RATE_LIMITED', retryAfter: seconds },
    },
    { 'retry-after': String(seconds) },
  );

export function useAuthorizationGate(deps: {
  keyring: Keyring;
  lockout: KeyLockout;
  /** TRUST_PROXY: proxies whose X-Forwarded-For entries are believed. */
  trustProxyHops: number;
}): Plugin {
  return {
    onRequest({ request, serverContext, fetchAPI, endResponse }) {
      const header = request.headers.get('authorization');
      if (header === null) return;
      const context = serverContext as RawHeadersContext;
      const presented = parseAuthorization(header);
      if (presented.kind === 'ambiguous' || repeatedAuthorization(context)) {
        const error = {
          message: AMBIGUOUS_AUTHORIZATION_MESSAGE,
          extensions: { code: 'UNAUTHENTICATED' },
        };
        endResponse(errorResponse(fetchAPI, 401, error, { 'www-authenticate': WWW_AUTHENTICATE }));
        return;
      }
      if (presented.kind !== 'bearer' || looksLikeSessionToken(presented.value)) return;
      const client = clientAddress(request, context, deps.trustProxyHops);
      const locked = deps.lockout.lockedFor(client);
      if (locked !== undefined) {
        endResponse(lockedOut(fetchAPI, locked));
        return;
      }
      if (deps.keyring.match(presented.value) !== undefined) return;
      return deps.lockout.recordFailure(client).then((seconds) => {
        if (seconds !== undefined) endResponse(lockedOut(fetchAPI, seconds));
      });
    },
  };
}
