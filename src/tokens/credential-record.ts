import { parseJsonObject } from './json.js';
import type { StoreEntry, VersionedRecord } from './store.js';
import type { RefreshReason } from './types.js';

/** A credential as this process sees it. Times are on the local (injected) clock. */
export interface Credential {
  readonly value: string;
  /** Store-issued; a larger generation was fetched later. */
  readonly gen: number;
  readonly expiresAt: number;
  readonly fetchedAt: number;
  readonly reason: RefreshReason;
}

const REASONS: ReadonlySet<string> = new Set<RefreshReason>([
  'cold',
  'ahead',
  'rejected',
  'forced',
]);

function isReason(value: unknown): value is RefreshReason {
  return typeof value === 'string' && REASONS.has(value);
}

/**
 * The L2 record: the credential, its generation, its full lifetime, why and by whom it was
 * fetched. Never an expiry instant: a reader takes the remaining life from the store's TTL.
 */
export function encodeRecord(
  credential: Credential,
  lifetimeMs: number,
  fetchedBy: string,
): VersionedRecord {
  return {
    value: credential.value,
    gen: credential.gen,
    lifetimeMs,
    reason: credential.reason,
    by: fetchedBy,
  };
}

/**
 * Reads a record written by any instance. Its expiry is `now` plus the TTL the store reports
 * (Redis PTTL), so no other host's wall clock is ever compared with ours; an entry without a
 * TTL is ignored, since its expiry would be a guess.
 */
export function decodeRecord(entry: StoreEntry, now: number): Credential | undefined {
  if (entry.ttlMs === null) return undefined;
  const record = parseJsonObject(entry.value);
  if (record === undefined) return undefined;
  const { value, gen, lifetimeMs, reason } = record;
  if (typeof value !== 'string' || value === '' || typeof gen !== 'number') return undefined;
  const expiresAt = now + entry.ttlMs;
  const lifetime = typeof lifetimeMs === 'number' ? lifetimeMs : entry.ttlMs;
  return {
    value,
    gen,
    expiresAt,
    fetchedAt: Math.min(now, expiresAt - lifetime),
    reason: isReason(reason) ? reason : 'cold',
  };
}
