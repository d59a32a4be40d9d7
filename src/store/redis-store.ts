import type { RedisTarget } from './redis-target.js';
import { openRedisConnection } from './redis-connection.js';
import type { StoreEntry, StoreHealth, TokenStore } from './store.js';
import {
  DELETE_IF_EQUALS,
  DELETE_RECORD_IF_VALUE,
  GET_WITH_TTL,
  INCREMENT_FIELDS,
  NEXT_GENERATION,
  PUT_IF_NEWER,
  SPEND_FROM_BUDGET,
} from './redis-scripts.js';

/** The commands of the connection's client (node-redis), as redis-connection.ts exposes them. */
type RedisCommands = ReturnType<typeof openRedisConnection>['commands'];

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
  /** A command went unanswered and commands are refused for a while. */
  stalled(): boolean;
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
    stalled: () => performance.now() < pausedUntil,
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

type StoreOperations = Omit<TokenStore, 'kind' | 'namespace' | 'health' | 'close'>;

interface ScriptRunner {
  /** A command on the namespaced key, bounded by the deadlines. */
  withDeadline<T>(what: string, command: () => Promise<T>): Promise<T>;
  /** A Lua script on namespaced keys. */
  evalScript(script: string, keys: string[], args: string[]): Promise<unknown>;
}

const px = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));

/** The plain key/value operations: GET with PTTL, SET, DEL, SET NX, compare-and-delete. */
function keyValueOperations(
  client: RedisCommands,
  full: (key: string) => string,
  { withDeadline, evalScript }: ScriptRunner,
): Pick<StoreOperations, 'get' | 'set' | 'delete' | 'setIfAbsent' | 'deleteIfEquals'> {
  return {
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
      await withDeadline('SET', () =>
        ttlMs === undefined
          ? client.set(full(key), value)
          : client.set(full(key), value, { expiration: { type: 'PX', value: px(ttlMs) } }),
      );
    },
    async delete(key) {
      return toInteger(await withDeadline('DEL', () => client.del(full(key))), 'DEL') > 0;
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await withDeadline('SET NX', () =>
        client.set(full(key), value, {
          condition: 'NX',
          expiration: { type: 'PX', value: px(ttlMs) },
        }),
      );
      return reply === 'OK';
    },
    async deleteIfEquals(key, value) {
      return toInteger(await evalScript(DELETE_IF_EQUALS, [key], [value]), 'DEL') > 0;
    },
  };
}

/** The compound operations, each one Lua script: generations, records, counters, budgets. */
function scriptedOperations({
  evalScript,
}: ScriptRunner): Omit<
  StoreOperations,
  'get' | 'set' | 'delete' | 'setIfAbsent' | 'deleteIfEquals'
> {
  return {
    async nextGeneration(counterKey, recordKey, atLeast = 0) {
      const reply = await evalScript(NEXT_GENERATION, [counterKey, recordKey], [String(atLeast)]);
      return toInteger(reply, 'INCR');
    },
    async putIfNewer(key, record, ttlMs) {
      const reply = await evalScript(
        PUT_IF_NEWER,
        [key],
        [JSON.stringify(record), String(record.gen), String(px(ttlMs))],
      );
      return toInteger(reply, 'SET') === 1;
    },
    async deleteRecordIfValue(key, value) {
      return toInteger(await evalScript(DELETE_RECORD_IF_VALUE, [key], [value]), 'DEL') > 0;
    },
    async increment(key, fields, ttlMs) {
      const reply = await evalScript(INCREMENT_FIELDS, [key], [String(px(ttlMs)), ...fields]);
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
    async spendFromBudget(key, capacity, refillMs) {
      const reply = await evalScript(
        SPEND_FROM_BUDGET,
        [key],
        [String(capacity), String(px(refillMs))],
      );
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw new TypeError('unexpected Redis reply to the budget script');
      }
      return { spent: toInteger(reply[0], 'budget') === 1, debtMs: toInteger(reply[1], 'PTTL') };
    },
  };
}

/**
 * The Redis store, shared by every gateway instance. @keyv/redis owns the connection (and its
 * reconnect policy); the compound operations run as Lua on the client it exposes, since Keyv's
 * get/set API has no NX, compare-and-delete, increment or PTTL.
 *
 * It never refuses to start: when Redis cannot be reached it resolves after a few attempts with a
 * store whose operations fail at once (so providers coordinate in-process) and whose `health()`
 * says so, and it joins the fleet as soon as Redis answers.
 */
export async function createRedisTokenStore(
  target: RedisTarget,
  options: { namespace: string; onHealthChange?: (health: StoreHealth, cause?: Error) => void },
): Promise<TokenStore> {
  let closed = false;
  const deadlines = createDeadlines();
  const health = (): StoreHealth => {
    if (closed) return { reachable: false, state: 'closed' };
    if (!connection.connected()) return { reachable: false, state: 'connecting' };
    if (deadlines.stalled()) return { reachable: false, state: 'stalled' };
    return { reachable: true, state: 'connected' };
  };
  const connection = openRedisConnection(target, (cause) => {
    if (!closed) options.onHealthChange?.(health(), cause);
  });
  const client = connection.commands;
  await connection.started;

  const { namespace } = options;
  const full = (key: string): string => `${namespace}:${key}`;
  const runner: ScriptRunner = {
    withDeadline: deadlines.run,
    evalScript: (script, keys, args) =>
      deadlines.run('a script', () =>
        client.eval(script, { keys: keys.map(full), arguments: args }),
      ),
  };
  let closing: Promise<void> | undefined;
  return {
    kind: 'redis',
    namespace,
    ...keyValueOperations(client, full, runner),
    ...scriptedOperations(runner),
    health,
    close() {
      closed = true;
      closing ??= connection.close(() => deadlines.drained(COMMAND_TIMEOUT_MS));
      return closing;
    },
  };
}
