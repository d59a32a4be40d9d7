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

/** After a command went unanswered, further commands fail at once for this long. */
const STALL_PAUSE_MS = 5_000;

/**
 * node-redis has no timeout for a command already written to a stalled server: bound every
 * operation here, so a Redis that stopped answering costs a caller seconds, not forever (the
 * provider then carries on with its in-process single-flight). Once one command went
 * unanswered, the next ones fail at once for a while instead of each waiting out its own
 * deadline: a cold load makes about ten store calls in a row, 2 s each would be 20 s.
 */
function createDeadlines(): {
  run<T>(what: string, command: () => Promise<T>): Promise<T>;
  /** True once every command sent has been answered (or failed), false after `ms`. */
  drained(ms: number): Promise<boolean>;
} {
  let pausedUntil = 0;
  const unanswered = new Set<Promise<unknown>>();
  return {
    async run(what, command) {
      if (performance.now() < pausedUntil) {
        throw new Error(`Redis stopped answering: ${what} not sent`);
      }
      const operation = command().then((reply) => {
        pausedUntil = 0;
        return reply;
      });
      const tracked = operation.then(
        () => undefined,
        () => undefined,
      );
      unanswered.add(tracked);
      void tracked.then(() => unanswered.delete(tracked));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          pausedUntil = performance.now() + STALL_PAUSE_MS;
          reject(new Error(`Redis did not answer ${what} within ${COMMAND_TIMEOUT_MS} ms`));
        }, COMMAND_TIMEOUT_MS);
      });
      try {
        return await Promise.race([operation, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    async drained(ms) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      });
      try {
        return await Promise.race([Promise.all(unanswered).then(() => true), gaveUp]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
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
  // The adapter forwards the client's connection errors (a client 'error' event without a
  // listener would crash the process).
  const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
  adapter.on('error', (error: unknown) => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });
  // Connected here rather than through the adapter, whose connect timeout is a timer it never
  // clears (it would hold the process open for 5 s after close()).
  let connectTimer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_resolve, reject) => {
        connectTimer = setTimeout(
          () => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new Error(`cannot connect to the Redis token store at ${redactRedisUrl(url)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(connectTimer);
  }

  const { namespace } = options;
  const full = (key: string): string => `${namespace}:${key}`;
  const deadlines = createDeadlines();
  const withDeadline = deadlines.run;
  let closing: Promise<void> | undefined;
  const evalScript = (script: string, keys: string[], args: string[]): Promise<unknown> =>
    withDeadline('a script', () => client.eval(script, { keys: keys.map(full), arguments: args }));

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
    // The client directly, not Keyv's adapter: the adapter reconnects a closed client on use,
    // so a breaker tripped after close() would reopen the connection and keep the process alive.
    async set(key, value, ttlMs) {
      await withDeadline('SET', () =>
        ttlMs === undefined
          ? client.set(full(key), value)
          : client.set(full(key), value, {
              expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
            }),
      );
    },
    async delete(key) {
      return (await withDeadline('DEL', () => client.del(full(key)))) > 0;
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await withDeadline('SET NX', () =>
        client.set(full(key), value, {
          condition: 'NX',
          expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
        }),
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
    close() {
      closing ??= (async () => {
        if (!client.isOpen) return;
        // client.close() waits for every pending reply, forever if Redis stalled: give the
        // commands in flight one deadline, then drop the connection and fail them.
        if (await deadlines.drained(COMMAND_TIMEOUT_MS)) await client.close();
        else client.destroy();
      })();
      return closing;
    },
  };
}
