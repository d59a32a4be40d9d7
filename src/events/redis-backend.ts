/**
 * The fleet's backend: one Redis Stream per app (kept to EVENTS_RETAIN) and live fan-out
 * through Redis pub/sub, received with @graphql-yoga/redis-event-target. One Lua script checks
 * the push's de-duplication key (SET NX PX), appends, and publishes the event with the id before
 * it, so every push is logged once and announced in log order to every instance.
 *
 * It opens its own connections (ioredis, the adapter's client): one for commands, failing at once
 * while Redis is away so the receiver answers 503 and WeChat retries, and one for subscriptions,
 * which reconnects and resubscribes by itself; after a reconnect every watcher catches up from
 * the log, so live messages lost meanwhile are not lost to subscribers.
 *
 * In a Redis Cluster both are ioredis Cluster clients: the script's keys share the app's hash tag
 * (dedupe-key.ts), so it runs on the node owning that slot, and its PUBLISH reaches subscribers
 * connected to any node of the cluster.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Cluster, Redis } from 'ioredis';
import { openIoredis, type RedisTarget } from '../store/redis-target.js';
import type { EventBackend, LiveMessage } from './backend.js';
import { logKey, seenKey, trimmedKey } from './dedupe-key.js';
import { isUserNote } from './notes.js';
import type { NewEvent, WechatEventRecord } from './types.js';

const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_WAIT_MS = 5_000;

/**
 * KEYS: log, seen, trimmed; ARGV: ttl ms, retain, event JSON (no id), channel, trim batch.
 * Trims exactly (XTRIM MINID) once `batch` events beyond `retain` piled up, and records the
 * newest id it removed: MAXLEN ~ would not say what it dropped.
 */
const APPEND = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return false end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local prev = ''
if #last > 0 then prev = last[1][1] end
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[2])
if excess >= tonumber(ARGV[5]) then
  local cut = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', excess + 1)
  redis.call('XTRIM', KEYS[1], 'MINID', cut[#cut][1])
  redis.call('SET', KEYS[3], cut[#cut - 1][1])
end
local prevJson = 'null'
if prev ~= '' then prevJson = '"' .. prev .. '"' end
redis.call('PUBLISH', ARGV[4], '{"prev":' .. prevJson .. ',"id":"' .. id .. '","event":' .. ARGV[3] .. '}')
return {id, prev}
`;

/**
 * The append script's KEYS: the app's log, the push's de-duplication marker and the log's trim
 * mark. One hash tag (the appid) puts them in one Redis Cluster slot.
 */
export function appendScriptKeys(
  namespace: string,
  appId: string,
  dedupeKey: string,
): [log: string, seen: string, trimmed: string] {
  const full = (key: string) => `${namespace}:${key}`;
  return [full(logKey(appId)), full(seenKey(appId, dedupeKey)), full(trimmedKey(appId))];
}

interface Published {
  prev: string | null;
  id: string;
  event: NewEvent;
}

function isPublished(value: unknown): value is Published {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'event' in value &&
    typeof value.event === 'object'
  );
}

const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** attempt, 2_000);

function entriesOf(reply: [string, string[]][]): WechatEventRecord[] {
  return reply.flatMap(([id, fields]) => {
    const at = fields.indexOf('e');
    const json = at >= 0 ? fields[at + 1] : undefined;
    return json === undefined ? [] : [{ ...(JSON.parse(json) as NewEvent), id }];
  });
}

/**
 * The adapter neither awaits nor catches SUBSCRIBE and UNSUBSCRIBE: one refused (a connection
 * closed at shutdown) would be an unhandled rejection. Here their failures are caught; a lost
 * subscription is recovered by the client's resubscribe and the watchers' resync.
 */
function withCaughtSubscriptions<C extends Redis | Cluster>(
  client: C,
  warn: (message: string, error?: unknown) => void,
): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'subscribe' || property === 'unsubscribe') {
        return (...channels: string[]) => {
          const reply = target[property](...channels);
          reply.catch((error: unknown) => {
            if (target.status !== 'end') warn(`event log: Redis ${property} failed`, error);
          });
          return reply;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface RedisEventBackendOptions {
  namespace: string;
  retain: number;
  /** Something the operator should know (a lost connection), never a secret. */
  onWarning?: (message: string, error?: unknown) => void;
}

/**
 * The two connections (see the top of this file), a lost one warned about at most once a minute.
 * `onReconnect` runs each time the subscriber is ready again after its first connection: it is
 * registered before connecting, so no reconnect can come before it.
 */
async function openConnections(
  redis: RedisTarget,
  warn: (message: string, error?: unknown) => void,
  onReconnect: () => void,
): Promise<{ commands: Redis | Cluster; subscriber: Redis | Cluster }> {
  const commands = openIoredis(redis, {
    perConnection: { maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS },
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  });
  // Subscriptions wait for the connection (the adapter does not handle a refusal).
  const subscriber = openIoredis(redis, {
    perConnection: { maxRetriesPerRequest: null, autoResubscribe: true },
    retryStrategy: reconnectDelay,
  });
  let lostAt = 0;
  for (const client of [commands, subscriber]) {
    client.on('error', (error: unknown) => {
      if (Date.now() - lostAt > 60_000) warn('event log: Redis connection failed', error);
      lostAt = Date.now();
    });
  }
  let readyBefore = false;
  subscriber.on('ready', () => {
    if (readyBefore) onReconnect();
    readyBefore = true;
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all([commands.connect(), subscriber.connect()]).catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_WAIT_MS))),
  ]);
  clearTimeout(timer);
  return { commands, subscriber };
}

/**
 * The adapter parses each message once and hands the same detail to every watcher: each one is
 * turned into a LiveMessage once, which every watcher then shares. Undefined for anything else.
 */
function createLiveDecoder(): (detail: unknown) => LiveMessage | undefined {
  const received = new WeakMap<Published, LiveMessage>();
  return (detail) => {
    if (!isPublished(detail)) return undefined;
    let message = received.get(detail);
    if (!message) {
      message = { prev: detail.prev, event: { ...detail.event, id: detail.id } };
      received.set(detail, message);
    }
    return message;
  };
}

/** Defines the append script on `commands` and returns a call of it. */
function defineAppendScript(commands: Redis | Cluster): (...args: string[]) => Promise<unknown> {
  // EVALSHA, falling back to EVAL once per connection when Redis has not seen the script.
  commands.defineCommand('appendWechatEvent', { numberOfKeys: 3, lua: APPEND });
  return (...args) =>
    (
      commands as unknown as { appendWechatEvent(...a: string[]): Promise<unknown> }
    ).appendWechatEvent(...args);
}

/**
 * Resolves once both connections are up, or after CONNECT_WAIT_MS with a backend that keeps
 * connecting (appends fail meanwhile: the receiver answers 503 and WeChat retries).
 */
export async function createRedisEventBackend(
  redis: RedisTarget,
  options: RedisEventBackendOptions,
): Promise<EventBackend> {
  const warn = options.onWarning ?? (() => undefined);
  const resync = new Set<() => void>();
  const { commands, subscriber } = await openConnections(redis, warn, () => {
    for (const listener of resync) listener();
  });
  const decode = createLiveDecoder();
  const target = createRedisEventTarget<CustomEvent<unknown>>({
    publishClient: commands,
    subscribeClient: withCaughtSubscriptions(subscriber, warn),
  });
  const appendScript = defineAppendScript(commands);
  const full = (key: string) => `${options.namespace}:${key}`;
  const channel = (appId: string) => full(`events:{${appId}}:live`);
  const notes = (appId: string) => full(`users:{${appId}}:changed`);
  const stream = (appId: string) => full(logKey(appId));
  const trimmed = (appId: string) => full(trimmedKey(appId));
  // Trimming reads the events it removes: in batches of up to 100, past `retain`.
  const trimBatch = Math.min(100, Math.max(1, Math.ceil(options.retain / 100)));

  return {
    kind: 'redis',
    async append(appId, event, dedupe) {
      const reply = await appendScript(
        ...appendScriptKeys(options.namespace, appId, dedupe.key),
        String(Math.max(1, Math.ceil(dedupe.ttlMs))),
        String(options.retain),
        JSON.stringify(event),
        channel(appId),
        String(trimBatch),
      );
      if (reply === null) return 'duplicate';
      if (!Array.isArray(reply) || typeof reply[0] !== 'string' || typeof reply[1] !== 'string') {
        throw new TypeError('unexpected reply to the append script');
      }
      const [id, prev] = reply;
      return { prev: prev === '' ? null : prev, event: { ...event, id } } satisfies LiveMessage;
    },
    async read(appId, after, count) {
      const from = after === null ? '-' : `(${after}`;
      const reply = await commands.xrange(stream(appId), from, '+', 'COUNT', count);
      return entriesOf(reply);
    },
    async lastId(appId) {
      const reply = await commands.xrevrange(stream(appId), '+', '-', 'COUNT', 1);
      return reply[0]?.[0] ?? null;
    },
    async trimmedThrough(appId) {
      return commands.get(trimmed(appId));
    },
    watch(appId, listener) {
      const handler = (event: CustomEvent<unknown>) => {
        const message = decode(event.detail);
        if (message) listener(message);
      };
      target.addEventListener(channel(appId), handler);
      // Replies come in order on the connection: once this one is back, so is the adapter's.
      const ready = subscriber.subscribe(channel(appId)).then(() => undefined);
      // Awaited by the stream unless it stopped first: then a refusal is nobody's to handle.
      ready.catch(() => undefined);
      return {
        ready,
        close: () => target.removeEventListener(channel(appId), handler),
      };
    },
    async announce(appId, note) {
      await commands.publish(notes(appId), JSON.stringify(note));
    },
    onNote(appId, listener) {
      const handler = (event: CustomEvent<unknown>) => {
        if (isUserNote(event.detail)) listener(event.detail);
      };
      target.addEventListener(notes(appId), handler);
      const ready = subscriber.subscribe(notes(appId)).then(() => undefined);
      ready.catch(() => undefined);
      return { ready, close: () => target.removeEventListener(notes(appId), handler) };
    },
    onResync(listener) {
      resync.add(listener);
      return () => resync.delete(listener);
    },
    async close() {
      resync.clear();
      // QUIT waits for the replies in flight; a client still (re)connecting is just dropped.
      await Promise.allSettled(
        [commands, subscriber].map((client) =>
          client.status === 'ready' ? client.quit() : Promise.resolve(client.disconnect()),
        ),
      );
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
