/**
 * The token store's connection to Redis through @keyv/redis (node-redis): one server
 * (`createClient`) or a Redis Cluster (`createCluster`, commands routed by their first key), over
 * TLS for `rediss://`. Kept open in the background: a Redis that cannot be reached at start (or is
 * lost later) is retried for as long as it takes, and `onChange` hears each transition once
 * rather than every failed attempt.
 */
import KeyvRedis, { createClient, createCluster } from '@keyv/redis';
import type { RedisTarget } from './redis-target.js';
import { nodeRedisTls, seedNode } from './redis-target.js';

const CONNECT_TIMEOUT_MS = 5_000;
/** At start, wait for this many failed connection attempts (or CONNECT_TIMEOUT_MS) at most. */
const INITIAL_CONNECT_ATTEMPTS = 3;
/** Reconnect attempts back off from 100 ms, doubling, to this; they never stop. */
const RECONNECT_CAP_MS = 2_000;
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, RECONNECT_CAP_MS);

/** The commands the store sends; a cluster routes each by its first key. */
export interface StoreCommands {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  set(
    key: string,
    value: string,
    options?: { condition?: 'NX'; expiration?: { type: 'PX'; value: number } },
  ): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

export interface RedisConnection {
  readonly commands: StoreCommands;
  /** Resolves once connected, or after the first few failed attempts (then still connecting). */
  readonly started: Promise<void>;
  /** Is the connection up right now (as of the client's last event)? */
  connected(): boolean;
  /** `drained` waits for the commands in flight: true once all were answered. */
  close(drained: () => Promise<boolean>): Promise<void>;
}

function socketOptions(target: RedisTarget) {
  return {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectStrategy: reconnectDelay,
    ...nodeRedisTls(target),
  };
}

/** Settles `started` after a few failures or CONNECT_TIMEOUT_MS, whichever comes first. */
function startWait(connecting: Promise<void>): {
  started: Promise<void>;
  failed(): void;
} {
  let failures = 0;
  let early = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const started = Promise.race([
    connecting,
    new Promise<void>((resolve) => {
      early = resolve;
      timer = setTimeout(resolve, CONNECT_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    started,
    failed() {
      failures += 1;
      if (failures >= INITIAL_CONNECT_ATTEMPTS) early();
    },
  };
}

/**
 * One server. @keyv/redis's adapter forwards the client's connection errors (a client 'error'
 * event without a listener would crash the process).
 */
function openSingle(target: RedisTarget, onChange: (cause?: Error) => void): RedisConnection {
  const [url = ''] = target.urls;
  const client = createClient({
    url,
    // Fail commands at once while disconnected instead of queueing them: a provider then falls
    // back to its process-local single-flight rather than stalling every caller.
    disableOfflineQueue: true,
    socket: socketOptions(target),
  });
  let reachable = false;
  let failedAttempts = 0;
  const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
  // Connected here rather than through the adapter, whose connect timeout is a timer it never
  // clears (it would hold the process open for 5 s after close()). The promise only settles once
  // connected (or destroyed): not awaited beyond the start-up wait.
  const wait = startWait(
    client.connect().then(
      () => undefined,
      () => undefined,
    ),
  );
  adapter.on('error', (error: unknown) => {
    failedAttempts += 1;
    wait.failed();
    // Only the loss of a working connection, or the first failure, is news.
    if (reachable || failedAttempts === 1) {
      reachable = false;
      onChange(error instanceof Error ? error : new Error(String(error)));
    }
  });
  client.on('ready', () => {
    reachable = true;
    failedAttempts = 0;
    onChange();
  });
  return {
    // The client directly, not Keyv's adapter: the adapter reconnects a closed client on use,
    // so a breaker tripped after close() would reopen the connection and keep the process alive.
    commands: client,
    started: wait.started,
    connected: () => reachable,
    async close(drained) {
      if (!client.isOpen) return;
      // Still (re)connecting: nothing is in flight (commands fail at once while offline).
      if (!client.isReady) {
        client.destroy();
        return;
      }
      // client.close() waits for every pending reply, forever if Redis stalled: give the
      // commands in flight one deadline, then drop the connection and fail them.
      if (await drained()) await client.close();
      else client.destroy();
    },
  };
}

/**
 * A Redis Cluster: the seed nodes tell the slot map, then each command goes to the node owning
 * its first key's slot (every multi-key script keeps its keys in one slot, see keys.ts). Until a
 * seed answers, discovery is retried with the same back-off; the store counts as reachable while
 * every master node it uses is connected.
 */
function openCluster(target: RedisTarget, onChange: (cause?: Error) => void): RedisConnection {
  const seeds = target.urls.map(seedNode);
  const [first] = seeds;
  const cluster = createCluster({
    rootNodes: seeds.map(({ host, port }) => ({ socket: { host, port } })),
    defaults: {
      username: first?.username,
      password: first?.password,
      disableOfflineQueue: true,
      socket: socketOptions(target),
    },
  });
  let discovered = false;
  let closed = false;
  let attempts = 0;
  const failing = new Set<string>();
  let lastReachable = false;
  const report = (cause?: Error): void => {
    const reachable = discovered && failing.size === 0;
    if (reachable !== lastReachable || (!reachable && attempts === 1)) onChange(cause);
    lastReachable = reachable;
  };
  cluster.on('error', () => undefined);
  cluster.on('node-error', (error: Error, node: { host: string; port: number }) => {
    failing.add(`${node.host}:${node.port}`);
    report(error);
  });
  cluster.on('node-ready', (node: { host: string; port: number }) => {
    failing.delete(`${node.host}:${node.port}`);
    report();
  });
  let retry: NodeJS.Timeout | undefined;
  let connected = (): void => undefined;
  const wait = startWait(new Promise<void>((resolve) => (connected = resolve)));
  const attempt = (): void => {
    cluster.connect().then(
      () => {
        discovered = true;
        report();
        connected();
      },
      (error: unknown) => {
        attempts += 1;
        wait.failed();
        report(error instanceof Error ? error : new Error(String(error)));
        if (!closed) retry = setTimeout(attempt, reconnectDelay(attempts));
      },
    );
  };
  attempt();
  return {
    commands: cluster,
    started: wait.started,
    connected: () => discovered && failing.size === 0,
    async close(drained) {
      closed = true;
      clearTimeout(retry);
      if (!cluster.isOpen) return;
      if (discovered && failing.size === 0 && (await drained())) await cluster.close();
      else cluster.destroy();
    },
  };
}

export function openRedisConnection(
  target: RedisTarget,
  onChange: (cause?: Error) => void,
): RedisConnection {
  return target.cluster ? openCluster(target, onChange) : openSingle(target, onChange);
}
