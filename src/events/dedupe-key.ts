/**
 * Store keys of the event log, relative to the namespace. The `{appid}` hash tag keeps an app's
 * keys in one Redis Cluster slot: the append script touches three of them.
 */
import { createHash } from 'node:crypto';

const shortDigest = (text: string) =>
  createHash('sha256').update(text).digest('base64url').slice(0, 32);

/** Store key remembering one push: hashed, so no openid or message text lands in a key. */
export function seenKey(appId: string, dedupeKey: string): string {
  return `events:{${appId}}:seen:${shortDigest(dedupeKey)}`;
}

/** Store key remembering one signed query string (timestamp, nonce, signature), hashed. */
export function nonceKey(appId: string, signedQuery: string): string {
  return `events:{${appId}}:nonce:${shortDigest(signedQuery)}`;
}

export function logKey(appId: string): string {
  return `events:{${appId}}:log`;
}

/** The newest id trimmed off the app's log. */
export function trimmedKey(appId: string): string {
  return `events:{${appId}}:trimmed`;
}
