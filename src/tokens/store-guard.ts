import type { Logger } from '../observability/logger.js';

/**
 * Runs one store operation for a credential. The store is a shared cache, not the source of
 * truth: when it is down the caller carries on with `fallback` (logged) instead of failing.
 */
export type StoreGuard = <T>(
  action: string,
  operation: () => Promise<T>,
  fallback: T,
) => Promise<T>;

export function createStoreGuard(logger: Logger, label: string): StoreGuard {
  return async (action, operation, fallback) => {
    try {
      return await operation();
    } catch (error) {
      logger.warn(
        { err: error, credential: label },
        `token store unavailable: could not ${action}`,
      );
      return fallback;
    }
  };
}
