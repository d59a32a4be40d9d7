import type { Logger } from '../observability/logger.js';
import type { CachedCredentialConfig } from './credential-config.js';
import type { CredentialMemory } from './credential-memory.js';
import { decodeRecord, type Credential } from './credential-record.js';
import type { FailureGate } from './failure-gate.js';
import { createFetchAndPublish } from './fetch-and-publish.js';
import { createCredentialLease, type HeldLease } from './lease.js';
import { createRejectionBudget, type RejectionBudget } from './rejection-budget.js';
import { createStoreGuard, type StoreGuard } from './store-guard.js';
import type { RefreshReason } from './types.js';

/** What a load is asked for, beyond its reason. */
export interface LoadOptions {
  /** The value WeChat rejected (reason 'rejected'): the load must bring another one. */
  rejected?: string;
  force?: boolean;
}

export interface LoadPath {
  /** One load: L2 first, then the lease, then (if still needed) one fetch for the fleet. */
  load(reason: RefreshReason, options: LoadOptions): Promise<Credential>;
  readShared(): Promise<Credential | undefined>;
  /** Takes a credential found in the store into L1. */
  adoptShared(credential: Credential): void;
  readonly budget: RejectionBudget;
}

/** The credential in the store now, if any (a store failure reads as none, logged by `guard`). */
function createSharedReader(
  config: Pick<CachedCredentialConfig, 'identity' | 'keys' | 'runtime'>,
  guard: StoreGuard,
): () => Promise<Credential | undefined> {
  const { label } = config.identity;
  const { store, clock } = config.runtime;
  const key = config.keys.record;
  return async () => {
    const entry = await guard(`read the cached ${label}`, () => store.get(key), undefined);
    return entry === undefined ? undefined : decodeRecord(entry, clock.now());
  };
}

/**
 * Says once per change whether this instance fetches with the fleet or alone: an outage is one
 * warning, however many loads it lasts, and its end one line.
 */
function createCoordinationNotice(logger: Logger, label: string): (coordinated: boolean) => void {
  let alone = false;
  return (coordinated) => {
    if (alone === !coordinated) return;
    alone = !coordinated;
    if (alone) {
      logger.warn(
        { credential: label },
        `token store unreachable: this instance fetches the ${label} on its own until it answers (what it fetches is published then)`,
      );
    } else {
      logger.info({ credential: label }, `token store answers again: ${label} fetches are shared`);
    }
  };
}

type RejectionSpend = (
  held: HeldLease,
  shared: Credential | undefined,
  rejected: string | undefined,
) => Promise<void>;

/**
 * A refresh for a rejection spends from the budget (under the lease, so that other instances
 * wait for it instead of being refused). The record is dropped only once a fetch follows.
 */
function createRejectionSpend(
  config: Pick<CachedCredentialConfig, 'identity' | 'keys' | 'runtime'>,
  budget: RejectionBudget,
  guard: StoreGuard,
): RejectionSpend {
  const { label } = config.identity;
  const { store } = config.runtime;
  const key = config.keys.record;
  return async (held, shared, rejected) => {
    if (!(await budget.spend(held.coordinated))) throw budget.refusal(rejected);
    if (held.coordinated && rejected !== undefined && shared?.value === rejected) {
      await guard(`invalidate the ${label}`, () => store.deleteRecordIfValue(key, rejected), false);
    }
  };
}

/**
 * The load path behind the single-flight: what it brings (from the store or upstream) is adopted
 * into L1 while this instance still holds the lease. Without the store it goes on alone: its
 * lease is the process's single-flight, refreshes for rejections spend this instance's own
 * budget, and what it fetches is published once the store answers (deferred-publish.ts).
 */
export function createLoadPath(
  config: CachedCredentialConfig,
  memory: CredentialMemory,
  failures: FailureGate,
): LoadPath {
  const { label } = config.identity;
  const { logger } = config.runtime;
  const { onCache } = config.hooks;
  const guard = createStoreGuard(logger, label);
  const readShared = createSharedReader(config, guard);
  const lease = createCredentialLease(config, guard);
  const budget = createRejectionBudget(config, guard);
  const spendForRejection = createRejectionSpend(config, budget, guard);
  const noteCoordination = createCoordinationNotice(logger, label);
  const fetchAndPublish = createFetchAndPublish(config, {
    guard,
    failures,
    readShared,
    isServable: memory.isServable,
  });

  /** May a credential found in the store end this load without a fetch? */
  function answers(shared: Credential | undefined, reason: RefreshReason): shared is Credential {
    return shared !== undefined && reason !== 'forced' && memory.meetsRequest(shared, reason, true);
  }

  /** A load's answer from the store (another instance or an earlier fetch put it there). */
  function fromStore(credential: Credential): Credential {
    onCache?.('store_hit');
    return adopt(credential, false);
  }

  function adopt(credential: Credential, fetched: boolean, published = true): Credential {
    memory.adopt(credential, fetched, published);
    failures.noteSettled(credential);
    return credential;
  }

  async function load(reason: RefreshReason, options: LoadOptions): Promise<Credential> {
    if (reason !== 'forced') {
      // A token the fleet already has (also after a rejection: no budget spent) ends the load.
      const shared = await readShared();
      if (answers(shared, reason)) return fromStore(shared);
      if (reason === 'rejected' && budget.refusedUntil() !== undefined) {
        throw budget.refusal(options.rejected);
      }
      const failFast = failures.failFastError();
      if (failFast !== undefined) throw failFast;
    }
    const taken = await lease.take(async () => {
      const shared = await readShared();
      return answers(shared, reason) ? shared : undefined;
    });
    if ('published' in taken) return fromStore(taken.published);
    const { held } = taken;
    try {
      // Re-check under the lease: the previous holder may have published just now.
      const shared = held.coordinated ? await readShared() : undefined;
      if (answers(shared, reason)) return fromStore(shared);
      noteCoordination(held.coordinated);
      if (reason === 'rejected') await spendForRejection(held, shared, options.rejected);
      const result = await fetchAndPublish({
        reason,
        force: options.force === true,
        previous: memory.l1,
        deadline: held.signal,
        coordinated: held.coordinated,
        seenGen: memory.seenGen,
      });
      onCache?.('upstream_fetch');
      const credential = adopt(result.credential, result.fetched, result.published);
      if (reason === 'rejected') budget.noteRefreshed(options.rejected, credential.value);
      return credential;
    } finally {
      await held.release();
    }
  }

  return {
    load,
    readShared,
    adoptShared: (credential) => void adopt(credential, false),
    budget,
  };
}
