import KeyvRedis, { createClient } from '@keyv/redis';
import type { StoreEntry, TokenStore } from './store.js';
import {
  DELETE_IF_EQUALS,
  DELETE_RECORD_IF_VALUE,
  GET_WITH_TTL,
  INCREMENT_FIELDS,
  NEXT_GENERATION,
  PUT_IF_NEWER,
} from './redis-scripts.js';

const CONNECT_TIMEOUT_MS = 5_000;
const INITIAL_CONNECT_RETRIES = 3;
const COMMAND_TIMEOUT_MS = 2_000;

/** Errors and logs may show which Redis, never its password. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//[redacted]@');
}

/**
 * node-redis has no timeout for a command already written to a stalled server: bound every
 * operation here, so a Redis that stopped answering costs a caller seconds, not forever (the
 * provider then carries on with its in-process single-flight).
 */
function withDeadline<T>(operation: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer ${what} within ${COMMAND_TIMEOUT_MS} ms`)),
      COMMAND_TIMEOUT_MS,
    );
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}

function toInteger(reply: unknown, what: string): number {
  const value = typeof reply === 'string' ? Number(reply) : reply;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`unexpected Redis reply to ${what}`);
  }
  return value;
}

/**
 * The Redis store, shared by every gateway instance. @keyv/redis owns the connection (and its
 * reconnect policy); the compound operations run as Lua on the client it exposes, since Keyv's
 * get/set API has no NX, compare-and-delete, increment or PTTL.
 */
export async function createRedisTokenStore(
  url: string,
  options: { namespace: string; onError?: (error: Error) => void },
): Promise<TokenStore> {
  let connectedOnce = false;
  const client = createClient({
    url,
    // Fail commands at once while disconnected instead of queueing them: a provider then falls
    // back to its process-local single-flight rather than stalling every caller.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At startup a wrong URL or a stopped Redis should fail within a second, not hang;
      // once connected, keep reconnecting for as long as it takes.
      reconnectStrategy: (retries: number, cause: Error) =>
        connectedOnce || retries < INITIAL_CONNECT_RETRIES
          ? Math.min(100 * 2 ** retries, 2_000)
          : cause,
    },
  });
  client.once('ready', () => {
    connectedOnce = true;
  });
  const adapter = new KeyvRedis(client, {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: CONNECT_TIMEOUT_MS,
  });
  adapter.on('error', (error: unknown) => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    await adapter.getClient();
  } catch (error) {
    throw new Error(`cannot connect to the Redis token store at ${redactRedisUrl(url)}`, {
      cause: error,
    });
  }

  const { namespace } = options;
  const full = (key: string): string => `${namespace}:${key}`;
  const evalScript = (script: string, keys: string[], args: string[]): Promise<unknown> =>
    withDeadline(client.eval(script, { keys: keys.map(full), arguments: args }), 'a script');

  return {
    kind: 'redis',
    namespace,
    async get(key): Promise<StoreEntry | undefined> {
      const reply = await evalScript(GET_WITH_TTL, [key], []);
      if (!Array.isArray(reply)) return undefined;
      const [value, pttl] = reply;
      if (typeof value !== 'string') return undefined;
      const ttl = toInteger(pttl, 'PTTL');
      if (ttl === -2) return undefined;
      return { value, ttlMs: ttl < 0 ? null : ttl };
    },
    async set(key, value, ttlMs) {
      await withDeadline(adapter.set(full(key), value, ttlMs), 'SET');
    },
    delete: (key) => withDeadline(adapter.delete(full(key)), 'DEL'),
    async setIfAbsent(key, value, ttlMs) {
      const reply = await withDeadline(
        client.set(full(key), value, {
          condition: 'NX',
          expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
        }),
        'SET NX',
      );
      return reply === 'OK';
    },
    async deleteIfEquals(key, value) {
      return toInteger(await evalScript(DELETE_IF_EQUALS, [key], [value]), 'DEL') > 0;
    },
    async nextGeneration(counterKey, recordKey) {
      return toInteger(await evalScript(NEXT_GENERATION, [counterKey, recordKey], []), 'INCR');
    },
    async putIfNewer(key, record, ttlMs) {
      const reply = await evalScript(
        PUT_IF_NEWER,
        [key],
        [JSON.stringify(record), String(record.gen), String(Math.max(1, Math.ceil(ttlMs)))],
      );
      return toInteger(reply, 'SET') === 1;
    },
    async deleteRecordIfValue(key, value) {
      return toInteger(await evalScript(DELETE_RECORD_IF_VALUE, [key], [value]), 'DEL') > 0;
    },
    async increment(key, fields, ttlMs) {
      const reply = await evalScript(
        INCREMENT_FIELDS,
        [key],
        [String(Math.max(1, Math.ceil(ttlMs))), ...fields],
      );
      if (!Array.isArray(reply) || reply.length !== fields.length) {
        throw new TypeError('unexpected Redis reply to HINCRBY');
      }
      return reply.map((count) => toInteger(count, 'HINCRBY'));
    },
    async counters(key) {
      const reply = await evalScript("return redis.call('HGETALL', KEYS[1])", [key], []);
      const result: Record<string, number> = {};
      if (!Array.isArray(reply)) return result;
      for (let i = 0; i + 1 < reply.length; i += 2) {
        const field: unknown = reply[i];
        if (typeof field === 'string') result[field] = toInteger(reply[i + 1], 'HGETALL');
      }
      return result;
    },
    close: () => adapter.disconnect(),
  };
}
