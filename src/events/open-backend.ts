/**
 * The event backend that goes with TOKEN_STORE: Redis Streams and pub/sub next to a Redis store,
 * an in-process ring (and fan-out) next to a memory or file store.
 */
import type { Clock } from '../shared/clock.js';
import { isRedisSpec } from '../config/redis.js';
import { redisTarget, type RedisTarget } from '../store/redis-target.js';
import type { TokenStore } from '../store/store.js';
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
    /** The token store's cluster and TLS settings: the log lives in the same Redis. */
    redis?: Omit<RedisTarget, 'urls'>;
  },
): Promise<EventBackend> {
  if (isRedisSpec(storeSpec)) {
    return createRedisEventBackend(redisTarget(storeSpec, deps.redis), {
      namespace: deps.store.namespace,
      retain: deps.retain,
      onWarning: deps.onWarning,
    });
  }
  return createMemoryEventBackend(deps);
}
