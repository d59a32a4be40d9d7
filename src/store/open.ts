/** Opens the shared store named by TOKEN_STORE: memory, a JSON file, Redis or a Redis Cluster. */
import { isRedisSpec, KEY_PREFIX_PATTERN } from '../config/redis.js';
import type { Clock } from '../shared/clock.js';
import { createFileTokenStore } from './file-store.js';
import { createMemoryTokenStore } from './memory-store.js';
import { createRedisTokenStore } from './redis-store.js';
import { redisTarget, type RedisTarget } from './redis-target.js';
import type { StoreHealth, TokenStore } from './store.js';

export interface TokenStoreOptions {
  /**
   * Prefix of every key, default `wgg` (REDIS_KEY_PREFIX). Letters, digits, `_`, `-`, `.` and
   * `:`; never a `{`, so the hash tags of the keys stay theirs in a Redis Cluster.
   */
  namespace?: string;
  /** Redis: a cluster, and TLS settings (`rediss://`); see redis-target.ts. */
  redis?: Omit<RedisTarget, 'urls'>;
  /** Expiry clock of the memory and file stores (Redis expires keys by its own clock). */
  clock?: Clock;
  /**
   * Redis: called when the connection becomes usable or stops being usable (not on every failed
   * reconnect attempt), with the error that ended it; commands reject on their own meanwhile.
   */
  onHealthChange?: (health: StoreHealth, cause?: Error) => void;
  /**
   * Something the operator should know that does not stop the store (a damaged file moved
   * aside). Never holds a token. Default: a process warning on stderr.
   */
  onWarning?: (message: string) => void;
}

export const DEFAULT_STORE_NAMESPACE = 'wgg';
const NAMESPACE_PATTERN = KEY_PREFIX_PATTERN;

export const TOKEN_STORE_SPEC_HELP =
  "'memory', 'file:<path>' (e.g. file:.data/tokens.json), a redis:// / rediss:// URL or (REDIS_CLUSTER) comma-separated seed URLs of a Redis Cluster";

/**
 * Opens the store named by `spec` (`TOKEN_STORE`). Redis: resolves once connected, or after a
 * few failed attempts with a store that keeps connecting in the background (see redis-store.ts):
 * a gateway starts without its store and joins the fleet when the store answers.
 */
export async function createTokenStore(
  spec: string,
  options: TokenStoreOptions = {},
): Promise<TokenStore> {
  const namespace = options.namespace ?? DEFAULT_STORE_NAMESPACE;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new TypeError(
      `token store namespace "${namespace}" must be 1-64 letters, digits, "_", "-", "." or ":"`,
    );
  }
  if (spec === 'memory') return createMemoryTokenStore({ namespace, clock: options.clock });
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    if (path === '')
      throw new TypeError(`token store "file:" needs a path: ${TOKEN_STORE_SPEC_HELP}`);
    return createFileTokenStore(path, {
      namespace,
      clock: options.clock,
      onWarning: options.onWarning,
    });
  }
  if (isRedisSpec(spec)) {
    return createRedisTokenStore(redisTarget(spec, options.redis), {
      namespace,
      onHealthChange: options.onHealthChange,
    });
  }
  throw new TypeError(`unknown token store "${redactUrl(spec)}": use ${TOKEN_STORE_SPEC_HELP}`);
}

/** A spec may be a URL with a password; never echo it back in an error. */
function redactUrl(spec: string): string {
  return spec.replace(/\/\/[^@/]*@/, '//[redacted]@');
}
