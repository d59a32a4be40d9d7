/**
 * At most `limit` WeChat calls in flight per caller; the caller's further calls wait their turn
 * in its own queue, so one caller's burst never holds every connection while others wait.
 *
 * The door is `withAccessToken` (provider.ts): every API call with a token passes it. Token and
 * ticket fetches do not (they are shared by all callers, single-flight), nor do the OAuth code
 * exchanges, which have no token and are rate-limited per client address already. Who the caller
 * is comes from the scope the GraphQL execution runs in (runAsCaller, set by
 * src/http/upstream-budget.ts): a call made outside any scope (start-up, background refreshes)
 * is not limited. A merged batchget call runs in the scope of the operation whose look-up opened
 * the batch, and counts against that caller.
 *
 * A slot is held only while the HTTP call is out, never while waiting for a token or for another
 * call, so a caller's calls cannot wait on each other in a circle. Memory: one entry per caller
 * with calls in flight or waiting, dropped when its last call ends.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallerGate {
  readonly limit: number;
  /** Runs `call` once fewer than `limit` calls of `caller` are in flight (first come, first run). */
  run<T>(caller: string, call: () => Promise<T>): Promise<T>;
  /** Calls of `caller` in flight and waiting, for tests and the bench. */
  load(caller: string): { inFlight: number; waiting: number };
}

interface Lane {
  inFlight: number;
  readonly waiting: (() => void)[];
}

export function createCallerGate(limit: number): CallerGate {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`the upstream calls per caller must be a whole number ≥ 1, got ${limit}`);
  }
  const lanes = new Map<string, Lane>();

  const release = (caller: string, lane: Lane): void => {
    const next = lane.waiting.shift();
    // The slot passes straight to the next in line: inFlight stays as it is.
    if (next !== undefined) return next();
    lane.inFlight -= 1;
    if (lane.inFlight === 0) lanes.delete(caller);
  };

  return {
    limit,
    run<T>(caller: string, call: () => Promise<T>): Promise<T> {
      let lane = lanes.get(caller);
      if (!lane) lanes.set(caller, (lane = { inFlight: 0, waiting: [] }));
      const held = lane;
      const start = (): Promise<T> => {
        let result: Promise<T>;
        try {
          result = call();
        } catch (error) {
          result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return result.finally(() => release(caller, held));
      };
      if (held.inFlight < limit) {
        held.inFlight += 1;
        return start();
      }
      return new Promise<void>((resolve) => held.waiting.push(resolve)).then(start);
    },
    load(caller) {
      const lane = lanes.get(caller);
      return { inFlight: lane?.inFlight ?? 0, waiting: lane?.waiting.length ?? 0 };
    },
  };
}

interface CallerScope {
  readonly gate: CallerGate;
  readonly caller: string;
}

// Module-level on purpose, like the request scope of the logs: the gate itself belongs to one
// gateway (createApp), the scope only says which gate and which caller a call is made for.
const scopes = new AsyncLocalStorage<CallerScope>();

/** Runs `run` (a GraphQL execution) so that the WeChat calls it makes count against `caller`. */
export function runAsCaller<T>(gate: CallerGate, caller: string, run: () => T): T {
  return scopes.run({ gate, caller }, run);
}

/** `call` through the current caller's gate, or at once outside any caller's scope. */
export function throughCallerGate<T>(call: () => Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  return scope === undefined ? call() : scope.gate.run(scope.caller, call);
}
