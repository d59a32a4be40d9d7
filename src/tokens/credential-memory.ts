import type { Clock } from '../shared/clock.js';
import type { Credential } from './credential-record.js';
import { isOlderThanSeen } from './fencing.js';
import type { RefreshReason } from './types.js';

/** Values WeChat rejected that this instance remembers (a few rotations' worth). */
const DEAD_VALUES_KEPT = 8;

/**
 * The in-memory copy (L1) of one credential and what this instance knows about the fleet's:
 * the newest generation it has held (fencing.ts) and the values WeChat rejected to it.
 */
export interface CredentialMemory {
  readonly l1: Credential | undefined;
  /** WeChat rejected L1's value: it is not handed out; the next load replaces it. */
  readonly l1Rejected: boolean;
  /** The newest generation this instance has held: nothing older is adopted from the store. */
  readonly seenGen: number;
  /** L1, when it was fetched without the store and is not in the store yet (deferred-publish.ts). */
  readonly unpublished: Credential | undefined;
  /** Not yet within the expiry margin: may still be handed out at `now`. */
  isServable(credential: Credential, now: number): boolean;
  /** L1 if it may be handed out now (servable, not rejected), else undefined. */
  usable(now: number): Credential | undefined;
  /**
   * Would `credential` answer a load for `reason` now? Servable and not known dead; when it comes
   * from the store, also not older than what this instance has held, and for a refresh-ahead
   * newer than L1 (another instance refreshed).
   */
  meetsRequest(credential: Credential, reason: RefreshReason, fromStore: boolean): boolean;
  /**
   * Makes `credential` L1. `fetched`: WeChat handed it out just now, so it is alive again.
   * `published` false: it is not in the store yet, so it becomes `unpublished` (default true).
   */
  adopt(credential: Credential, fetched: boolean, published?: boolean): void;
  /**
   * `credential` no longer waits to be published (it was, or it is too old to be). False, and
   * nothing changes, when it is not the one waiting any more (L1 moved on meanwhile).
   */
  dropUnpublished(credential: Credential): boolean;
  /**
   * WeChat rejected `value`, handed out under generation `gen`. It concerns L1 only if L1 is that
   * fetch or an older one: an answer that arrives after a refresh brought the same value back
   * (under a higher generation) is about the fetch before. True when L1 became rejected by it.
   */
  reject(value: string, gen: number): boolean;
}

interface DeadValue {
  value: string;
  /** The generation it had here: a record of the same value with a higher one is a later fetch. */
  gen: number;
}

export function createCredentialMemory(clock: Clock, expiryMarginMs: number): CredentialMemory {
  let l1: Credential | undefined;
  let l1Rejected = false;
  let seenGen = 0;
  let unpublished: Credential | undefined;
  const dead: DeadValue[] = [];
  // A value WeChat rejected stays dead unless a later fetch (higher generation) brought it back:
  // then WeChat's token endpoint handed it out as current again.
  const isDead = (credential: Credential): boolean =>
    dead.some((entry) => entry.value === credential.value && entry.gen >= credential.gen);
  const isServable = (credential: Credential, now: number): boolean =>
    now < credential.expiresAt - expiryMarginMs;

  return {
    get l1() {
      return l1;
    },
    get l1Rejected() {
      return l1Rejected;
    },
    get seenGen() {
      return seenGen;
    },
    get unpublished() {
      return unpublished;
    },
    isServable,
    usable: (now) => (l1 !== undefined && !l1Rejected && isServable(l1, now) ? l1 : undefined),

    meetsRequest(credential, reason, fromStore) {
      if (!isServable(credential, clock.now()) || isDead(credential)) return false;
      if (!fromStore) return true;
      if (isOlderThanSeen(credential, seenGen)) return false;
      return reason !== 'ahead' || l1 === undefined || credential.gen > l1.gen;
    },

    adopt(credential, fetched, published = true) {
      if (fetched) {
        for (let i = dead.length - 1; i >= 0; i -= 1) {
          if (dead[i]?.value === credential.value) dead.splice(i, 1);
        }
      }
      if (!published) unpublished = credential;
      else if (unpublished !== credential) unpublished = undefined;
      l1 = credential;
      l1Rejected = isDead(credential);
      seenGen = Math.max(seenGen, credential.gen);
    },

    reject(value, gen) {
      const hitsL1 = l1 !== undefined && l1.value === value && l1.gen <= gen && !l1Rejected;
      if (hitsL1) l1Rejected = true;
      const known = dead.find((entry) => entry.value === value);
      if (known === undefined) {
        dead.push({ value, gen });
        if (dead.length > DEAD_VALUES_KEPT) dead.shift();
      } else {
        known.gen = Math.max(known.gen, gen);
      }
      return hitsL1;
    },

    dropUnpublished(credential) {
      if (unpublished !== credential) return false;
      unpublished = undefined;
      return true;
    },
  };
}
