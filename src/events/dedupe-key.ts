import { createHash } from 'node:crypto';

/** Store key remembering one push: hashed, so no openid or message text lands in a key. */
export function seenKey(appId: string, dedupeKey: string): string {
  const digest = createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 32);
  return `events:{${appId}}:seen:${digest}`;
}

export function logKey(appId: string): string {
  return `events:{${appId}}:log`;
}
