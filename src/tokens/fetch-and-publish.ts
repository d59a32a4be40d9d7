import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { backoffDelay } from './backoff.js';
import { encodeRecord, type Credential } from './credential-record.js';
import { isTransient, type FailureGate } from './failure-gate.js';
import { fingerprint, type CredentialKeys } from './keys.js';
import type { StoreGuard } from './store-guard.js';
import type { TokenStore } from './store.js';
import type { RefreshReason } from './types.js';

/** What an upstream fetch returns. */
export interface Fetched {
  value: string;
  /** `expires_in` in ms, counted from receipt. */
  lifetimeMs: number;
}

export interface FetchAndPublishConfig {
  label: string;
  keys: CredentialKeys;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  guard: StoreGuard;
  failures: Pick<FailureGate, 'noteFailure'>;
  /** `signal` aborts the upstream request once the fetch deadline has passed. */
  fetch(reason: RefreshReason, force: boolean, signal: AbortSignal): Promise<Fetched>;
  /**
   * The jsapi_ticket's `expires_in` is always 7200, not the remaining life (wechat-api.md §8.1):
   * when the same ticket comes back, its known expiry is kept instead of being extended.
   */
  keepExpiryWhenUnchanged: boolean;
  /** Attempts for a caller that has no valid credential (-1 and network faults only). */
  coldAttempts: number;
  coldRetryDelayMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
  instanceId: string;
  /** The credential in the store now, if any. */
  readShared(): Promise<Credential | undefined>;
  /** May `credential` still be handed out at `now`? */
  isServable(credential: Credential, now: number): boolean;
}

/**
 * Fetches a credential upstream (called under the lease) and publishes it under a new store
 * generation, so a slow writer never overwrites a newer record. Resolves to the credential to
 * adopt: ours, or a newer one another fetch published first.
 */
export type FetchAndPublish = (
  reason: RefreshReason,
  force: boolean,
  previous: Credential | undefined,
  deadline: AbortSignal,
) => Promise<Credential>;

export function createFetchAndPublish(config: FetchAndPublishConfig): FetchAndPublish {
  const { label, keys, store, clock, logger, guard } = config;

  async function fetchWithRetries(
    reason: RefreshReason,
    force: boolean,
    deadline: AbortSignal,
  ): Promise<Fetched> {
    const attempts = reason === 'cold' || reason === 'rejected' ? config.coldAttempts : 1;
    const policy = { baseMs: config.coldRetryDelayMs, capMs: config.coldRetryDelayMs * 8 };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await config.fetch(reason, force, deadline);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error) || deadline.aborted) throw error;
        await config.sleep(backoffDelay(attempt, policy, config.random));
        if (deadline.aborted) throw error;
      }
    }
  }

  return async (reason, force, previous, deadline) => {
    const gen =
      (await guard(
        `allocate a ${label} generation`,
        () => store.nextGeneration(keys.generation, keys.record),
        undefined,
      )) ?? (previous?.gen ?? 0) + 1;
    let fetched: Fetched;
    try {
      fetched = await fetchWithRetries(reason, force, deadline);
    } catch (error) {
      throw config.failures.noteFailure(reason, error);
    }
    const now = clock.now();
    let expiresAt = now + fetched.lifetimeMs;
    if (
      config.keepExpiryWhenUnchanged &&
      previous?.value === fetched.value &&
      previous.expiresAt > now
    ) {
      expiresAt = Math.min(expiresAt, previous.expiresAt);
    }
    const credential: Credential = { value: fetched.value, gen, expiresAt, fetchedAt: now, reason };
    const record = encodeRecord(credential, fetched.lifetimeMs, config.instanceId);
    const written = await guard(
      `publish the ${label}`,
      () => store.putIfNewer(keys.record, record, expiresAt - now),
      true,
    );
    if (!written) {
      // A fetch that started after ours published first: its credential is the newer one.
      const newer = await config.readShared();
      if (newer !== undefined && newer.gen > gen && config.isServable(newer, clock.now())) {
        logger.info({ credential: label, gen, newerGen: newer.gen }, `kept a newer ${label}`);
        return newer;
      }
    }
    logger.info(
      {
        credential: label,
        reason,
        gen,
        expiresInS: Math.round(fetched.lifetimeMs / 1000),
        fingerprint: fingerprint(fetched.value),
      },
      `${label} fetched`,
    );
    return credential;
  };
}
