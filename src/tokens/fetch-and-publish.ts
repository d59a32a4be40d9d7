import { backoffDelay } from './backoff.js';
import type { CachedCredentialConfig } from './credential-config.js';
import { encodeRecord, type Credential } from './credential-record.js';
import { isTransient, type FailureGate } from './failure-gate.js';
import { fingerprint } from './keys.js';
import type { StoreGuard } from './store-guard.js';
import { provisionalGeneration } from './fencing.js';
import type { RefreshReason } from './types.js';
import type { Fetched, FetchRequest } from './upstream-fetch.js';

/** What fetch-and-publish is given besides the credential's config: the load path's parts. */
export interface FetchAndPublishParts {
  guard: StoreGuard;
  failures: Pick<FailureGate, 'noteFailure'>;
  /** The credential in the store now, if any. */
  readShared(): Promise<Credential | undefined>;
  /** May `credential` still be handed out at `now`? */
  isServable(credential: Credential, now: number): boolean;
}

/** One fetch, as the load path orders it under the lease. */
export interface FetchOrder {
  reason: RefreshReason;
  force: boolean;
  previous: Credential | undefined;
  /** Aborts the upstream request once the fetch deadline has passed. */
  deadline: AbortSignal;
  /** The lease came from the store (false: the store could not be asked). */
  coordinated: boolean;
  /** The newest generation this instance has held (fencing.ts). */
  seenGen: number;
}

export interface FetchResult {
  /** Ours, or a newer one another fetch published first. */
  credential: Credential;
  /** `credential` came from WeChat just now (not from the store). */
  fetched: boolean;
  /** False when the store could not be asked: the credential is to be published later. */
  published: boolean;
}

/**
 * Fetches a credential upstream (called under the lease) and publishes it under a new store
 * generation, so a slow writer never overwrites a newer record; without the store, under a
 * provisional generation (fencing.ts).
 */
export type FetchAndPublish = (order: FetchOrder) => Promise<FetchResult>;

export function createFetchAndPublish(
  config: Pick<
    CachedCredentialConfig,
    'identity' | 'keys' | 'runtime' | 'upstream' | 'fetchPolicy'
  >,
  parts: FetchAndPublishParts,
): FetchAndPublish {
  const { keys } = config;
  const { label, instanceId } = config.identity;
  const { store, clock, logger, sleep, random } = config.runtime;
  const { coldAttempts, coldRetryDelayMs } = config.fetchPolicy;
  const { guard } = parts;

  async function fetchWithRetries(
    reason: RefreshReason,
    request: FetchRequest,
    deadline: AbortSignal,
  ): Promise<Fetched> {
    const attempts = reason === 'cold' || reason === 'rejected' ? coldAttempts : 1;
    const policy = { baseMs: coldRetryDelayMs, capMs: coldRetryDelayMs * 8 };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await config.upstream.fetch(reason, request, deadline);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error) || deadline.aborted) throw error;
        await sleep(backoffDelay(attempt, policy, random));
        if (deadline.aborted) throw error;
      }
    }
  }

  return async ({ reason, force, previous, deadline, coordinated, seenGen }) => {
    const allocated = coordinated
      ? await guard(
          `allocate a ${label} generation`,
          () => store.nextGeneration(keys.generation, keys.record, seenGen),
          undefined,
        )
      : undefined;
    const gen = allocated ?? provisionalGeneration(seenGen);
    const uncoordinated = allocated === undefined;
    let fetched: Fetched;
    try {
      fetched = await fetchWithRetries(reason, { force, uncoordinated }, deadline);
    } catch (error) {
      throw parts.failures.noteFailure(reason, error);
    }
    const now = clock.now();
    let expiresAt = now + fetched.lifetimeMs;
    if (
      config.upstream.keepExpiryWhenUnchanged &&
      previous?.value === fetched.value &&
      previous.expiresAt > now
    ) {
      expiresAt = Math.min(expiresAt, previous.expiresAt);
    }
    const credential: Credential = {
      value: fetched.value,
      gen,
      expiresAt,
      fetchedAt: now,
      reason,
      ...(fetched.mode === undefined ? {} : { mode: fetched.mode }),
    };
    const record = encodeRecord(credential, fetched.lifetimeMs, instanceId);
    const written = await guard(
      `publish the ${label}`,
      () => store.putIfNewer(keys.record, record, expiresAt - now),
      undefined,
    );
    if (written === false) {
      // A fetch that started after ours published first: its credential is the newer one.
      const newer = await parts.readShared();
      if (newer !== undefined && newer.gen > gen && parts.isServable(newer, clock.now())) {
        logger.info({ credential: label, gen, newerGen: newer.gen }, `kept a newer ${label}`);
        return { credential: newer, fetched: false, published: true };
      }
    }
    logger.info(
      {
        credential: label,
        reason,
        gen,
        ...(uncoordinated ? { coordinated: false } : {}),
        ...(fetched.mode === undefined ? {} : { mode: fetched.mode }),
        expiresInS: Math.round(fetched.lifetimeMs / 1000),
        fingerprint: fingerprint(fetched.value),
      },
      `${label} fetched`,
    );
    return { credential, fetched: true, published: written !== undefined };
  };
}
