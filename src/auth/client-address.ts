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

/** The eight 16-bit groups of an IPv6 address (zone dropped), or undefined for anything else. */
function ipv6Groups(address: string): number[] | undefined {
  const text = address.replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const hex = v4
    ? `${text.slice(0, v4.index)}${((Number(v4[1]) << 8) | Number(v4[2])).toString(16)}:${((Number(v4[3]) << 8) | Number(v4[4])).toString(16)}`
    : text;
  const [head = '', tail] = hex.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/**
 * Whom the abuse limits count an address as. IPv4: the address. IPv6: its first `prefixBits`
 * bits (a /64 by default: one customer gets a whole /64 and can send from any address in it);
 * an IPv4-mapped IPv6 address (`::ffff:198.51.100.7`, however written) is its IPv4 address.
 */
export function addressSubject(address: string, prefixBits: number): string {
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  const bits = Math.max(0, Math.min(128, prefixBits));
  const masked = groups.map((group, i) => {
    const kept = Math.max(0, Math.min(16, bits - i * 16));
    return kept === 0 ? 0 : group & ((0xffff << (16 - kept)) & 0xffff);
  });
  return `${masked.map((group) => group.toString(16)).join(':')}/${bits}`;
}
