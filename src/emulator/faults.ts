import { errmsgFor } from './errmsg.js';

export type FaultAction =
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' }
  /** The request is carried out, then its connection is cut before any answer. */
  | { readonly kind: 'drop' }
  | { readonly kind: 'fail'; readonly errcode: number; readonly errmsg: string };

/**
 * Injected failures, keyed by request path or '*' (any path). A path-specific fault is used
 * before a '*' one; per request at most one fault fires, checked as reset, hang, drop (carried out, then cut), errcode.
 */
export interface Faults {
  failNext(path: string, count: number, options?: { errcode?: number; errmsg?: string }): void;
  setLatency(path: string, ms: number): void;
  hangNext(path: string, count: number): void;
  resetNext(path: string, count: number): void;
  dropResponseNext(path: string, count: number): void;
  latencyFor(path: string): number;
  /** The fault this request gets, consuming it; undefined when none is pending. */
  take(path: string): FaultAction | undefined;
}

interface PendingFailure {
  remaining: number;
  readonly errcode: number;
  readonly errmsg: string;
}

function assertPath(path: string): void {
  if (path !== '*' && !path.startsWith('/')) {
    throw new RangeError(`fault path must be '*' or start with '/': ${JSON.stringify(path)}`);
  }
}

function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`fault count must be a non-negative integer, got ${count}`);
  }
}

export function createFaults(): Faults {
  const latency = new Map<string, number>();
  const hangs = new Map<string, number>();
  const resets = new Map<string, number>();
  const drops = new Map<string, number>();
  const failures = new Map<string, PendingFailure[]>();

  const takeCount = (counts: Map<string, number>, path: string): boolean => {
    for (const key of [path, '*']) {
      const left = counts.get(key) ?? 0;
      if (left > 0) {
        if (left === 1) counts.delete(key);
        else counts.set(key, left - 1);
        return true;
      }
    }
    return false;
  };

  const takeFailure = (path: string): PendingFailure | undefined => {
    for (const key of [path, '*']) {
      const queue = failures.get(key);
      const head = queue?.[0];
      if (queue && head) {
        head.remaining -= 1;
        if (head.remaining === 0) queue.shift();
        if (queue.length === 0) failures.delete(key);
        return head;
      }
    }
    return undefined;
  };

  const addCount = (counts: Map<string, number>, path: string, count: number): void => {
    assertPath(path);
    assertCount(count);
    if (count > 0) counts.set(path, (counts.get(path) ?? 0) + count);
  };

  return {
    failNext(path, count, options = {}) {
      assertPath(path);
      assertCount(count);
      const errcode = options.errcode ?? -1;
      if (!Number.isSafeInteger(errcode) || errcode === 0) {
        throw new RangeError(`failNext errcode must be a non-zero integer, got ${errcode}`);
      }
      if (count === 0) return;
      const queue = failures.get(path) ?? [];
      queue.push({ remaining: count, errcode, errmsg: options.errmsg ?? errmsgFor(errcode) });
      failures.set(path, queue);
    },
    setLatency(path, ms) {
      assertPath(path);
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
      }
      if (ms === 0) latency.delete(path);
      else latency.set(path, ms);
    },
    hangNext: (path, count) => addCount(hangs, path, count),
    resetNext: (path, count) => addCount(resets, path, count),
    dropResponseNext: (path, count) => addCount(drops, path, count),
    latencyFor: (path) => latency.get(path) ?? latency.get('*') ?? 0,
    take(path) {
      if (takeCount(resets, path)) return { kind: 'reset' };
      if (takeCount(hangs, path)) return { kind: 'hang' };
      if (takeCount(drops, path)) return { kind: 'drop' };
      const failure = takeFailure(path);
      if (failure) return { kind: 'fail', errcode: failure.errcode, errmsg: failure.errmsg };
      return undefined;
    },
  };
}
