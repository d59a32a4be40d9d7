/**
 * Signed query strings remembered fleet-wide (through the store's set-if-absent) for as long as
 * their timestamp is accepted, each with a hash of the message it came with. The URL's
 * `signature` covers only Token, timestamp and nonce, never the body: without this, one captured
 * plaintext push would sign any number of forged bodies for 5 minutes. WeChat repeats a push it
 * got no `success` for with the same message, so the same query with the same message is a
 * repeat (and goes on to the usual de-duplication); with another message it is refused.
 */
import { createHash } from 'node:crypto';
import type { TokenStore } from '../store/store.js';
import { nonceKey } from './dedupe-key.js';
import { TIMESTAMP_WINDOW_MS, type SignedQuery } from './verify.js';

/** Instances' clocks differ a little; the record outlives the window by this much. */
export const NONCE_SLACK_MS = 60 * 1000;

/** `first`: never seen; `repeat`: seen with the same message; `reused`: seen with another one. */
export type NonceUse = 'first' | 'repeat' | 'reused';

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * Records `signed` with `message` (the plaintext body, or the decrypted message of an encrypted
 * push) unless it is already recorded, and says how it was used before. Throws when the store
 * cannot answer (the receiver then answers 503, and WeChat sends the push again).
 */
export async function rememberNonce(
  store: TokenStore,
  appId: string,
  signed: SignedQuery,
  message: string,
  nowMs: number,
): Promise<NonceUse> {
  const key = nonceKey(appId, `${signed.timestamp}\n${signed.nonce}\n${signed.signature}`);
  const hash = digest(message);
  // The timestamp is accepted until TIMESTAMP_WINDOW_MS after it; at most twice the window away.
  const ttlMs = Math.max(
    1,
    Number(signed.timestamp) * 1000 + TIMESTAMP_WINDOW_MS + NONCE_SLACK_MS - nowMs,
  );
  // Twice: the record may expire between the two calls.
  for (let tries = 0; tries < 2; tries++) {
    if (await store.setIfAbsent(key, hash, ttlMs)) return 'first';
    const held = await store.get(key);
    if (held) return held.value === hash ? 'repeat' : 'reused';
  }
  return 'reused';
}
