import type { CachedCredentialConfig } from './credential-config.js';
import type { Credential } from './credential-record.js';
import { leaseTimeoutError } from './failure-gate.js';
import type { StoreGuard } from './store-guard.js';

/** This instance's turn to fetch. */
export interface HeldLease {
  /** Names this holder in the store; also the owner of anything claimed under the lease. */
  owner: string;
  /**
   * False when the store could not be asked: this instance fetches on its own (its single-flight
   * still makes it one fetch per instance), without the fleet.
   */
  coordinated: boolean;
  /** Aborts the upstream request once the fetch deadline has passed. */
  signal: AbortSignal;
  /** Ends the fetch deadline and frees the lease; call exactly once. */
  release(): Promise<void>;
}

export interface CredentialLease {
  /**
   * Waits for the lease, at most `waitMs`. While another instance holds it, `published()` is
   * polled: a credential it returns ends the wait (nothing to fetch any more).
   */
  take(
    published: () => Promise<Credential | undefined>,
  ): Promise<{ held: HeldLease } | { published: Credential }>;
}

/** The store lease that lets one instance of the fleet fetch a credential at a time. */
export function createCredentialLease(
  config: Pick<CachedCredentialConfig, 'identity' | 'keys' | 'runtime' | 'fetchPolicy'>,
  guard: StoreGuard,
): CredentialLease {
  const { label, appName, instanceId } = config.identity;
  const key = config.keys.lease;
  const policy = config.fetchPolicy.lease;
  const { store, clock, sleep } = config.runtime;
  let seq = 0;

  function hold(owner: string, coordinated: boolean): HeldLease {
    // Real time, not the injected clock: the lease expires by the store's clock, in real time.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), policy.fetchDeadlineMs);
    return {
      owner,
      coordinated,
      signal: deadline.signal,
      async release() {
        clearTimeout(timer);
        if (!coordinated) return;
        await guard(`release the ${label} lease`, () => store.deleteIfEquals(key, owner), false);
      },
    };
  }

  return {
    async take(published) {
      const owner = `${instanceId}:${(seq += 1)}`;
      const maxPolls = Math.ceil(policy.waitMs / policy.pollMs);
      for (let polls = 0; ; polls += 1) {
        // Without the store, fall back to this process's single-flight: one fetch per instance.
        const taken = await guard(
          `take the ${label} lease`,
          () => store.setIfAbsent(key, owner, policy.ttlMs),
          undefined,
        );
        if (taken !== false) return { held: hold(owner, taken === true) };
        if (polls >= maxPolls) {
          throw leaseTimeoutError(appName, label, policy.waitMs, clock.now() + policy.pollMs);
        }
        await sleep(policy.pollMs);
        const credential = await published();
        if (credential !== undefined) return { published: credential };
      }
    },
  };
}
