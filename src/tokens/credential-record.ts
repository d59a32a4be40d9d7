import { parseJsonObject } from '../shared/json.js';
import type { StoreEntry, VersionedRecord } from '../store/store.js';
import type { TokenMode } from '../wechat/types.js';
import type { RefreshReason } from './types.js';

/** A credential as this process sees it. Times are on the local (injected) clock. */
export interface Credential {
  readonly value: string;
  /**
   * A larger generation was fetched later: store-issued integers, or `n + 0.5` for a fetch made
   * while the store could not be reached (the rule is in fencing.ts).
   */
  readonly gen: number;
  readonly expiresAt: number;
  readonly fetchedAt: number;
  readonly reason: RefreshReason;
  /**
   * Access tokens only, when it differs from the app's mode: the endpoint family that issued it
   * (a legacy-mode app takes a stable token while the store is unreachable, see upstream-fetch.ts).
   */
  readonly mode?: TokenMode;
}

const MODES: ReadonlySet<string> = new Set<TokenMode>(['stable', 'legacy']);

function isMode(value: unknown): value is TokenMode {
  return typeof value === 'string' && MODES.has(value);
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
    ...(credential.mode === undefined ? {} : { mode: credential.mode }),
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
  const { value, gen, lifetimeMs, reason, mode } = record;
  if (typeof value !== 'string' || value === '' || typeof gen !== 'number' || !(gen >= 0)) {
    return undefined;
  }
  const expiresAt = now + entry.ttlMs;
  const lifetime = typeof lifetimeMs === 'number' ? lifetimeMs : entry.ttlMs;
  return {
    value,
    gen,
    expiresAt,
    fetchedAt: Math.min(now, expiresAt - lifetime),
    reason: isReason(reason) ? reason : 'cold',
    ...(isMode(mode) ? { mode } : {}),
  };
}
