import { isIP } from 'node:net';

/** The socket peer as node:http reports it (yoga's server context), when there is one. */
export interface ClientSocketContext {
  req?: { socket?: { remoteAddress?: string | undefined } | undefined } | undefined;
}

const normalize = (address: string): string =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

/**
 * The address a request comes from. Behind `trustedHops` proxies (TRUST_PROXY) each of them
 * appends the address it saw to X-Forwarded-For, so the client is that many entries from the
 * right; entries further left were written by the client and are not believed. Without a
 * trusted proxy the header is ignored: anyone can send it.
 */
export function clientAddress(
  request: Request,
  context: ClientSocketContext,
  trustedHops: number,
): string {
  const peer = context.req?.socket?.remoteAddress;
  if (trustedHops > 0) {
    const forwarded = (request.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const entry = forwarded[Math.max(0, forwarded.length - trustedHops)];
    if (entry !== undefined && isIP(normalize(entry)) !== 0) return normalize(entry);
  }
  return peer === undefined ? 'unknown' : normalize(peer);
}
