/**
 * The event backend that goes with TOKEN_STORE: Redis Streams and pub/sub next to a Redis store,
 * an in-process ring (and fan-out) next to a memory or file store.
 */
import type { Clock } from '../clock.js';
import type { TokenStore } from '../tokens/store.js';
import type { EventBackend } from './backend.js';
import { createMemoryEventBackend } from './memory-backend.js';
import { createRedisEventBackend } from './redis-backend.js';

export async function openEventBackend(
  storeSpec: string,
  deps: {
    store: TokenStore;
    clock: Clock;
    retain: number;
    onWarning?: (message: string, error?: unknown) => void;
  },
): Promise<EventBackend> {
  if (storeSpec.startsWith('redis://') || storeSpec.startsWith('rediss://')) {
    return createRedisEventBackend(storeSpec, {
      namespace: deps.store.namespace,
      retain: deps.retain,
      onWarning: deps.onWarning,
    });
  }
  return createMemoryEventBackend(deps);
}
