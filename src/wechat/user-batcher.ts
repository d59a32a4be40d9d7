/**
 * One app's user look-ups from every concurrent operation, merged into batchget calls of ≤100
 * users. Keys wait at most `windowMs` (0: until the event loop's next turn) for company; a batch
 * that reaches 100 distinct users goes at once. Process-wide: one per app, made by
 * createGatewayApps. The per-operation loaders (user-loader.ts) keep de-duplication and the user
 * cap; they hand their keys here.
 *
 * WeChat fails a whole batchget with 40003 when one openid is unknown. A failed merged batch is
 * first halved along operations (each operation's keys stay together), until the failure sits
 * with one operation; that operation's keys are then halved with its own budget, as a lone
 * operation's would be. An operation whose keys are all known is never charged and never fails
 * for another's openid. Bounds: the halvings along operations cost at most 2·⌈log2 m⌉ calls per
 * operation with an unknown openid (m operations in the batch, m ≤ 100: ≤14) and 2·(m−1) per
 * batch; the halvings within one operation at most its SPLIT_BUDGET for the whole operation.
 */
import { BATCHGET_MAX_USERS } from './api.js';
import { errcodeRow } from './errcodes.js';
import { WechatApiError } from './errors.js';
import type { UserCache, UserLookup } from './user-cache.js';
import type { Lang, RawUserInfo, WechatApi } from './types.js';

export interface UserKey {
  openid: string;
  lang: Lang;
}

/**
 * Extra batchget calls one operation may spend halving its own keys to find the openids WeChat
 * does not know: enough to isolate one bad openid among 100 (two calls per halving).
 */
export const SPLIT_BUDGET = 2 * Math.ceil(Math.log2(BATCHGET_MAX_USERS));

/** One operation, as the batcher sees it: the extra calls it may still spend on its own keys. */
export interface BatchOwner {
  readonly splits: { calls: number };
}

/** USER_BATCH_WINDOW_MS unset: see README, "Batching and the user cache". */
export const DEFAULT_USER_BATCH_WINDOW_MS = 2;

/** Runs `flush` once the window is over (0 ms: on the event loop's next turn). */
export type BatchScheduler = (flush: () => void, windowMs: number) => void;

export const defaultScheduler: BatchScheduler = (flush, windowMs) => {
  if (windowMs <= 0) setImmediate(flush);
  else setTimeout(flush, windowMs);
};

export interface UserBatcher {
  /** The app's name. */
  readonly app: string;
  /** One result per key, in order: the user, or the error that field gets. Never rejects. */
  load(keys: readonly UserKey[], owner: BatchOwner): Promise<(RawUserInfo | Error)[]>;
  /** Whether look-ups are cached (USER_CACHE_TTL > 0). */
  readonly caching: boolean;
  /** Keys waiting for the next batch (for tests and the bench). */
  waiting(): number;
  /** Drops these users from the cache (a remark or tag change, a follow or unfollow). */
  forget(openids: readonly string[]): void;
  /** Drops the cached users carrying this tag (the tag was deleted). */
  forgetTag(tagId: number): void;
}

import type { UserLookupObserver } from '../observability/observers.js';
export type { UserLookupObserver } from '../observability/observers.js';

export interface UserBatcherDeps {
  api: WechatApi;
  cache: UserCache;
  windowMs: number;
  schedule?: BatchScheduler;
  observer?: UserLookupObserver;
}

type Result = RawUserInfo | Error;

interface Entry {
  readonly key: UserKey;
  readonly id: string;
  readonly settle: (result: Result) => void;
}

interface Group {
  readonly owner: BatchOwner;
  readonly entries: Entry[];
}

interface Batch {
  readonly entries: { entry: Entry; owner: BatchOwner }[];
  readonly ids: Set<string>;
}

const idOf = (key: UserKey) => `${key.lang}\u0000${key.openid}`;

const isUnknownOpenid = (error: unknown): boolean =>
  error instanceof WechatApiError && errcodeRow(error.errcode).action === 'split-batch';

/** Distinct keys of these groups, first seen first. */
function distinctKeys(groups: readonly Group[]): UserKey[] {
  const seen = new Map<string, UserKey>();
  for (const group of groups) {
    for (const entry of group.entries) if (!seen.has(entry.id)) seen.set(entry.id, entry.key);
  }
  return [...seen.values()];
}

/** After `error` failed these keys with 40003: halves them while the owner's budget lasts. */
async function bisect(
  api: WechatApi,
  keys: readonly UserKey[],
  budget: { calls: number },
  error: unknown,
): Promise<Result[]> {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (keys.length === 1 || budget.calls < 2) return keys.map(() => failure);
  budget.calls -= 2;
  const middle = Math.ceil(keys.length / 2);
  const halves = await Promise.all(
    [keys.slice(0, middle), keys.slice(middle)].map(async (half): Promise<Result[]> => {
      try {
        return await api.batchGetUserInfo(half);
      } catch (halfError) {
        if (isUnknownOpenid(halfError)) return bisect(api, half, budget, halfError);
        return half.map(() => (halfError instanceof Error ? halfError : failure));
      }
    }),
  );
  return halves.flat();
}

/** Each entry of these groups gets its user, or its error, from `byId`. */
function settleGroups(groups: readonly Group[], byId: Map<string, Result>): void {
  for (const group of groups) {
    for (const entry of group.entries) {
      entry.settle(byId.get(entry.id) ?? new Error('batchget answered without this user'));
    }
  }
}

/** A batch's entries by operation, in order of arrival: halvings keep an operation's keys together. */
function groupsOf(batch: Batch): Group[] {
  const byOwner = new Map<BatchOwner, Entry[]>();
  for (const { entry, owner } of batch.entries) {
    const entries = byOwner.get(owner);
    if (entries) entries.push(entry);
    else byOwner.set(owner, [entry]);
  }
  return [...byOwner].map(([owner, entries]) => ({ owner, entries }));
}

/**
 * Sends one batch once its window is over: one batchget for its distinct keys (halved on 40003,
 * see the top of this file), the users cached and every entry settled. Apart from the queue, so
 * that what a batch costs and whom a failure reaches reads in one place.
 */
function createBatchSender(
  deps: Pick<UserBatcherDeps, 'api' | 'cache' | 'observer'>,
): (batch: Batch) => void {
  const { api, cache, observer } = deps;
  const app = api.app.name;

  /** One call for these groups; on 40003, halves along operations, then within the last one. */
  const run = async (groups: readonly Group[], lookup: UserLookup): Promise<void> => {
    const keys = distinctKeys(groups);
    let results: Result[];
    try {
      results = await api.batchGetUserInfo(keys);
    } catch (error) {
      if (isUnknownOpenid(error) && groups.length > 1) {
        const middle = Math.ceil(groups.length / 2);
        await Promise.all([
          run(groups.slice(0, middle), lookup),
          run(groups.slice(middle), lookup),
        ]);
        return;
      }
      const [only] = groups;
      results =
        isUnknownOpenid(error) && only
          ? await bisect(api, keys, only.owner.splits, error)
          : keys.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    // A user dropped (a follow, a remark…) while this was out may be read from before the
    // change: answered, not kept. Drops of other users do not matter (user-cache.ts).
    results.forEach((user, i) => {
      const key = keys[i];
      if (key && !(user instanceof Error)) lookup.keep(key.lang, user);
    });
    settleGroups(groups, new Map(keys.map((key, i) => [idOf(key), results[i] as Result])));
  };

  return (batch) => {
    const groups = groupsOf(batch);
    observer?.batched(batch.ids.size);
    const lookup = cache.startLookup(
      app,
      batch.entries.map(({ entry }) => entry.key.openid),
    );
    // run settles every entry; should it throw all the same, no caller is left waiting.
    run(groups, lookup)
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const { entry } of batch.entries) entry.settle(failure);
      })
      .finally(lookup.end);
  };
}

/** The queue: cache hits answered at once, the rest gathered into the current batch. */
export function createUserBatcher(deps: UserBatcherDeps): UserBatcher {
  const { api, cache, windowMs, observer } = deps;
  const app = api.app.name;
  const schedule = deps.schedule ?? defaultScheduler;
  const send = createBatchSender(deps);
  let current: Batch | undefined;

  const flushIfCurrent = (batch: Batch) => () => {
    if (current !== batch) return;
    current = undefined;
    send(batch);
  };

  const enqueue = (entry: Entry, owner: BatchOwner): void => {
    if (!current) {
      const batch: Batch = { entries: [], ids: new Set() };
      current = batch;
      schedule(flushIfCurrent(batch), windowMs);
    }
    current.entries.push({ entry, owner });
    current.ids.add(entry.id);
    // A full batch has no reason to wait (and a batch never holds more than 100 users).
    if (current.ids.size >= BATCHGET_MAX_USERS) flushIfCurrent(current)();
  };

  return {
    app,
    caching: cache.enabled,
    load(keys, owner) {
      let hits = 0;
      const results = Promise.all(
        keys.map((key) => {
          const cached = cache.get(app, key.lang, key.openid);
          if (cached) {
            hits += 1;
            return cached;
          }
          return new Promise<Result>((resolve) =>
            enqueue({ key, id: idOf(key), settle: resolve }, owner),
          );
        }),
      );
      observer?.looked(hits, keys.length - hits);
      return results;
    },
    waiting: () => current?.entries.length ?? 0,
    forget: (openids) => cache.forget(app, openids),
    forgetTag: (tagId) => cache.forgetTag(app, tagId),
  };
}
