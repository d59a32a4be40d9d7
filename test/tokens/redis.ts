/**
 * The real Redis the token tests share: its URL, namespaces no other run uses, cleanup, and a
 * proxy to make it misbehave. A Redis that cannot be reached fails these tests: nothing here
 * skips a test.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { createClient } from '@keyv/redis';
import { afterAll } from 'vitest';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const CONNECT_TIMEOUT_MS = 2_000;

/** A namespace no other run (or parallel test file) uses. */
export function uniqueNamespace(label: string): string {
  return `wgg-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A plain client of the test Redis (to look at keys, MONITOR, ...), not yet connected. */
export function createTestRedisClient() {
  // No reconnecting: a missing Redis should fail the connect at once, not hang the test.
  return createClient({
    url: REDIS_URL,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  });
}

export type TestRedisClient = ReturnType<typeof createTestRedisClient>;

/** A connected client of the test Redis, or an error that says which Redis is missing. */
export async function connectTestRedis(): Promise<TestRedisClient> {
  const client = createTestRedisClient();
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `these tests need the Redis at ${REDIS_URL} (TEST_REDIS_URL) and could not reach it; ` +
        'they fail rather than skip',
      { cause: error },
    );
  }
  return client;
}

export async function redisKeys(client: TestRedisClient, namespace: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) {
    keys.push(...batch);
  }
  return keys;
}

/** Deletes every key of a test namespace in Redis. */
export async function purgeRedisNamespace(namespace: string): Promise<void> {
  const client = await connectTestRedis();
  try {
    const keys = await redisKeys(client, namespace);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

export interface RedisNamespaces {
  /** A fresh namespace, purged from Redis after the calling file's tests. */
  create(label: string): string;
  /** A Redis token store on `namespace` (purged afterwards too); the caller closes it. */
  open(namespace: string, url?: string): Promise<TokenStore>;
}

/** Namespaces of the calling file in the test Redis, each purged once the file's tests ran. */
export function useRedisNamespaces(): RedisNamespaces {
  const created = new Set<string>();
  afterAll(async () => {
    for (const namespace of created) await purgeRedisNamespace(namespace);
  });
  return {
    create(label) {
      const namespace = uniqueNamespace(label);
      created.add(namespace);
      return namespace;
    },
    open(namespace, url = REDIS_URL) {
      created.add(namespace);
      return createTokenStore(url, { namespace });
    },
  };
}

export interface RedisProxy {
  /** A redis:// URL that reaches the test Redis through this proxy. */
  readonly url: string;
  /** From now on nothing is forwarded either way: a Redis that stopped answering. */
  stall(): void;
  /**
   * Like `SIGSTOP`: nothing is forwarded until `resume()`, which delivers what was held back in
   * order (commands sent during the hang run then, as they would after `SIGCONT`).
   */
  hang(): void;
  resume(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of the test Redis, to make it misbehave without touching the real one. */
export async function startRedisProxy(): Promise<RedisProxy> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let stalled = false;
  let held: (() => void)[] | undefined;
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };
  const forward = (to: Socket) => (chunk: Buffer) => {
    if (stalled) return;
    if (held !== undefined) held.push(() => void to.write(chunk));
    else to.write(chunk);
  };
  const server = createServer((client) => {
    track(client);
    const upstream = track(connect(Number(target.port || 6379), target.hostname));
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP port');
  const { port } = address;
  return {
    url: `redis://127.0.0.1:${port}${target.pathname}`,
    stall: () => {
      stalled = true;
    },
    hang: () => {
      held ??= [];
    },
    resume: () => {
      const pending = held ?? [];
      held = undefined;
      for (const write of pending) write();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
