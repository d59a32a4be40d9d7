/** A token store whose chosen operations fail on demand, as a Redis outage would make them. */
import type { TokenStore } from '../../src/store/store.js';

export interface FaultyStore {
  wrap(store: TokenStore): TokenStore;
  /** From now on these operations reject (`[]`: the store works again). */
  fail(operations: readonly (keyof TokenStore)[]): void;
  /** How often each operation was called, failed or not. */
  readonly calls: Map<string, number>;
  /** Nothing fails, nothing counted: for the start of each test. */
  reset(): void;
}

export function createFaultyStore(): FaultyStore {
  let failing = new Set<string>();
  const calls = new Map<string, number>();
  return {
    calls,
    reset() {
      failing = new Set();
      calls.clear();
    },
    fail(operations) {
      failing = new Set(operations);
    },
    wrap(store) {
      return new Proxy(store, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof property !== 'string' || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.set(property, (calls.get(property) ?? 0) + 1);
            if (failing.has(property)) {
              return Promise.reject(new Error(`store ${property} failed (test outage)`));
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
  };
}
