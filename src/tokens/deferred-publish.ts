import type { CachedCredentialConfig } from './credential-config.js';
import type { CredentialMemory } from './credential-memory.js';
import { encodeRecord, type Credential } from './credential-record.js';
import { fingerprint } from './keys.js';

/** While the store stays unreachable, a publish is tried again at most this often. */
export const PUBLISH_RETRY_MS = 5_000;

export interface DeferredPublish {
  /**
   * Called on accesses while L1 is unpublished (no timers): starts one background attempt when
   * one is due. Cheap when nothing is pending.
   */
  poke(now: number): void;
  /** Resolves once no attempt is in flight. */
  idle(): Promise<void>;
}

/**
 * A credential fetched while the store could not be reached is published once it answers again,
 * through the same monotonic write as any other (fencing.ts): it replaces the record left from
 * before the outage, and never a newer one. If the store already holds a newer credential, the
 * fleet's, this instance takes it, so the fleet converges on one token as soon as it can.
 */
export function createDeferredPublish(
  config: Pick<CachedCredentialConfig, 'identity' | 'keys' | 'runtime'>,
  deps: {
    memory: CredentialMemory;
    readShared(): Promise<Credential | undefined>;
    /** Takes a credential from the store into L1. */
    adopt(credential: Credential): void;
  },
): DeferredPublish {
  const { keys } = config;
  const { label, instanceId } = config.identity;
  const { store, clock, logger } = config.runtime;
  const { memory } = deps;
  let nextAttemptAt = 0;
  let running: Promise<void> | undefined;

  async function attempt(credential: Credential): Promise<void> {
    const now = clock.now();
    if (!memory.isServable(credential, now)) {
      // Too old to be worth publishing (poke passed the one waiting, so it is still that one).
      memory.dropUnpublished(credential);
      return;
    }
    const record = encodeRecord(
      credential,
      credential.expiresAt - credential.fetchedAt,
      instanceId,
    );
    let written: boolean;
    try {
      written = await store.putIfNewer(keys.record, record, credential.expiresAt - now);
    } catch {
      // Still away: said once by the load path already, not every few seconds here.
      return;
    }
    // L1 moved on while the store answered: the credential waiting now is another one.
    if (!memory.dropUnpublished(credential)) return;
    const print = fingerprint(credential.value);
    if (written) {
      logger.info(
        { credential: label, gen: credential.gen, fingerprint: print },
        `published the ${label} fetched while the token store was unreachable`,
      );
      return;
    }
    // The store holds one at least as new. Newer (a fetch the store coordinated): the fleet's,
    // take it. Same generation: another instance's fetch from the same outage, of unknowable
    // order: keep ours, which works, until the next rotation brings everyone together.
    const shared = await deps.readShared();
    if (
      shared !== undefined &&
      shared.gen > credential.gen &&
      memory.l1 === credential &&
      memory.meetsRequest(shared, 'cold', true)
    ) {
      deps.adopt(shared);
      logger.info(
        { credential: label, gen: shared.gen, fingerprint: fingerprint(shared.value) },
        `took the fleet's newer ${label} from the token store`,
      );
    }
  }

  return {
    poke(now) {
      const pending = memory.unpublished;
      if (pending === undefined || running !== undefined || now < nextAttemptAt) return;
      nextAttemptAt = now + PUBLISH_RETRY_MS;
      running = attempt(pending)
        .catch(() => undefined)
        .finally(() => {
          running = undefined;
        });
    },
    idle: async () => {
      await running;
    },
  };
}
