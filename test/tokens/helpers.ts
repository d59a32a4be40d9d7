/**
 * Real pieces for the token tests: the emulator on loopback with a manual clock shared by the
 * providers, the undici client, a store, and a logger whose every line is kept.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createClient } from '@keyv/redis';
import { afterEach, beforeEach } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import {
  DEFAULT_EMULATOR_APPS,
  createEmulator,
  type Emulator,
  type EmulatorApp,
  type EmulatorOptions,
} from '../../src/emulator/index.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { appKeys } from '../../src/tokens/keys.js';
import {
  DEFAULT_TOKEN_PROVIDER_OPTIONS,
  createTokenProvider,
  type LocalTokenProvider,
  type TokenProviderOptions,
} from '../../src/tokens/provider.js';
import { createTokenStore, type TokenStore } from '../../src/tokens/store.js';
import { createWechatApi } from '../../src/wechat/api.js';
import {
  createWechatHttp,
  type WechatHttp,
  type WechatHttpOptions,
} from '../../src/wechat/http.js';
import type { TokenMode, WechatApi, WechatAppConfig } from '../../src/wechat/types.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const STABLE_API = '/cgi-bin/stable_token';
export const LEGACY_API = '/cgi-bin/token';
export const TICKET_API = '/cgi-bin/ticket/getticket';
export const USER_INFO_API = '/cgi-bin/user/info';

function defaultApp(kind: EmulatorApp['kind']): EmulatorApp {
  const app = DEFAULT_EMULATOR_APPS.find((candidate) => candidate.kind === kind);
  if (!app) throw new Error(`no default ${kind} app`);
  return app;
}

export const OFFICIAL = defaultApp('official');

export function officialApp(mode: TokenMode = 'stable'): WechatAppConfig {
  return {
    name: 'official',
    kind: 'official',
    appId: OFFICIAL.appId,
    appSecret: OFFICIAL.appSecret,
    tokenMode: mode,
  };
}

/** A namespace no other run (or parallel test file) uses. */
export function uniqueNamespace(label: string): string {
  return `wgg-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface LogCapture {
  readonly logger: Logger;
  readonly lines: string[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  return { logger, lines };
}

/** Counts every store operation, by name: the hot path must not show up here. */
export function countingStore(inner: TokenStore): { store: TokenStore; ops: Map<string, number> } {
  const ops = new Map<string, number>();
  const count = (name: string): void => {
    ops.set(name, (ops.get(name) ?? 0) + 1);
  };
  const store: TokenStore = {
    kind: inner.kind,
    namespace: inner.namespace,
    get: (key) => (count('get'), inner.get(key)),
    set: (key, value, ttlMs) => (count('set'), inner.set(key, value, ttlMs)),
    delete: (key) => (count('delete'), inner.delete(key)),
    setIfAbsent: (key, value, ttlMs) => (
      count('setIfAbsent'),
      inner.setIfAbsent(key, value, ttlMs)
    ),
    deleteIfEquals: (key, value) => (count('deleteIfEquals'), inner.deleteIfEquals(key, value)),
    nextGeneration: (counterKey, recordKey) => (
      count('nextGeneration'),
      inner.nextGeneration(counterKey, recordKey)
    ),
    putIfNewer: (key, record, ttlMs) => (count('putIfNewer'), inner.putIfNewer(key, record, ttlMs)),
    deleteRecordIfValue: (key, value) => (
      count('deleteRecordIfValue'),
      inner.deleteRecordIfValue(key, value)
    ),
    increment: (key, fields, ttlMs) => (count('increment'), inner.increment(key, fields, ttlMs)),
    counters: (key) => (count('counters'), inner.counters(key)),
    close: () => inner.close(),
  };
  return { store, ops };
}

/** A store that can be taken down: while down, every operation rejects like a lost Redis. */
export function switchableStore(inner: TokenStore): {
  store: TokenStore;
  setDown(down: boolean): void;
} {
  let down = false;
  const guard = <T>(run: () => Promise<T>): Promise<T> =>
    down ? Promise.reject(new Error('store is down (test)')) : run();
  const store: TokenStore = {
    kind: inner.kind,
    namespace: inner.namespace,
    get: (key) => guard(() => inner.get(key)),
    set: (key, value, ttlMs) => guard(() => inner.set(key, value, ttlMs)),
    delete: (key) => guard(() => inner.delete(key)),
    setIfAbsent: (key, value, ttlMs) => guard(() => inner.setIfAbsent(key, value, ttlMs)),
    deleteIfEquals: (key, value) => guard(() => inner.deleteIfEquals(key, value)),
    nextGeneration: (counterKey, recordKey) =>
      guard(() => inner.nextGeneration(counterKey, recordKey)),
    putIfNewer: (key, record, ttlMs) => guard(() => inner.putIfNewer(key, record, ttlMs)),
    deleteRecordIfValue: (key, value) => guard(() => inner.deleteRecordIfValue(key, value)),
    increment: (key, fields, ttlMs) => guard(() => inner.increment(key, fields, ttlMs)),
    counters: (key) => guard(() => inner.counters(key)),
    close: () => inner.close(),
  };
  return {
    store,
    setDown: (value) => {
      down = value;
    },
  };
}

/**
 * Lets the spacing between refreshes caused by a rejection run out: the clock moves past it and
 * the fleet-wide key goes (Redis expires keys by its own clock, which no test can move).
 */
export async function passRejectedRefreshSpacing(
  clock: ManualClock,
  store: TokenStore,
  app: WechatAppConfig = officialApp(),
): Promise<void> {
  clock.advance(DEFAULT_TOKEN_PROVIDER_OPTIONS.rejectedRefreshMinIntervalMs);
  await store.delete(appKeys(app.appId, app.appSecret, app.tokenMode).token.rejectedRefresh);
}

export function totalOps(ops: Map<string, number>): number {
  return [...ops.values()].reduce((sum, n) => sum + n, 0);
}

export function createTestRedisClient() {
  return createClient({ url: REDIS_URL });
}

export type TestRedisClient = ReturnType<typeof createTestRedisClient>;

/** Deletes every key of a test namespace in Redis. */
export async function purgeRedisNamespace(namespace: string): Promise<void> {
  const client = createTestRedisClient();
  await client.connect();
  try {
    const keys = await redisKeys(client, namespace);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

export async function redisKeys(client: TestRedisClient, namespace: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) {
    keys.push(...batch);
  }
  return keys;
}

export interface RedisProxy {
  /** A redis:// URL that reaches the test Redis through this proxy. */
  readonly url: string;
  /** From now on nothing is forwarded either way: a Redis that stopped answering. */
  stall(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of the test Redis, to make it misbehave without touching the real one. */
export async function startRedisProxy(): Promise<RedisProxy> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let stalled = false;
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };
  const server = createServer((client) => {
    track(client);
    const upstream = track(connect(Number(target.port || 6379), target.hostname));
    client.on('data', (chunk) => void (stalled || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (stalled || client.write(chunk)));
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Harness {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  readonly http: WechatHttp;
  readonly logs: LogCapture;
  /** Delays the providers asked to sleep (lease polls, quick cold retries); never really slept. */
  readonly sleeps: number[];
  provider(options?: {
    app?: WechatAppConfig;
    store?: TokenStore;
    options?: TokenProviderOptions;
    random?: () => number;
    instanceId?: string;
    realSleep?: boolean;
    /** Each sleep moves the shared clock by its length (a memory store's lease then expires). */
    sleepMovesClock?: boolean;
  }): LocalTokenProvider;
  api(provider: LocalTokenProvider, app?: WechatAppConfig): WechatApi;
  close(): Promise<void>;
}

/**
 * Starts the emulator (manual clock) and an http client; providers made by `provider()` share
 * the clock, a capturing logger and a no-op sleep, and are idled on close.
 */
export async function startHarness(
  options: {
    http?: Partial<WechatHttpOptions>;
    emulator?: Omit<EmulatorOptions, 'clock'>;
    store?: TokenStore;
  } = {},
): Promise<Harness> {
  const clock = createManualClock();
  const emulator = await createEmulator({ ...options.emulator, clock });
  const http = createWechatHttp({ baseUrl: emulator.url, ...options.http });
  const logs = captureLogs();
  const sleeps: number[] = [];
  const providers: LocalTokenProvider[] = [];

  return {
    emulator,
    clock,
    http,
    logs,
    sleeps,
    provider(spec = {}) {
      const store = spec.store ?? options.store;
      if (store === undefined) {
        throw new Error('harness has no store: pass one to startHarness or provider()');
      }
      const provider = createTokenProvider({
        app: spec.app ?? officialApp(),
        http,
        store,
        clock,
        logger: logs.logger,
        options: spec.options,
        random: spec.random ?? (() => 0),
        ...(spec.instanceId ? { instanceId: spec.instanceId } : {}),
        ...(spec.realSleep
          ? {}
          : {
              sleep: async (ms: number) => {
                sleeps.push(ms);
                if (spec.sleepMovesClock) clock.advance(ms);
              },
            }),
      });
      providers.push(provider);
      return provider;
    },
    api(provider, app = officialApp(provider.app.tokenMode)) {
      return createWechatApi({ app, http, tokens: provider });
    },
    async close() {
      await Promise.all(providers.map((provider) => provider.idle()));
      await http.close();
      await emulator.close();
    },
  };
}

/** A harness on a fresh memory store whose expiry follows the harness clock. */
export type MemoryHarness = Harness & { store: TokenStore };

type MemoryHarnessOptions = Parameters<typeof startMemoryHarness>[0];

/**
 * A fresh memory harness for every test of the calling file: `useMemoryHarness((x) => (h = x))`.
 * The callback form keeps test bodies reading the file's own `h`. The returned `restart` swaps
 * in a harness with other options for one test; whichever is current is closed after it.
 */
export function useMemoryHarness(
  assign: (harness: MemoryHarness) => void,
): (options: MemoryHarnessOptions) => Promise<void> {
  let current: MemoryHarness | undefined;
  const start = async (options?: MemoryHarnessOptions): Promise<void> => {
    await current?.close();
    current = await startMemoryHarness(options);
    assign(current);
  };
  beforeEach(() => start());
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return start;
}

export async function startMemoryHarness(
  options: { http?: Partial<WechatHttpOptions>; emulator?: Omit<EmulatorOptions, 'clock'> } = {},
): Promise<Harness & { store: TokenStore }> {
  const harness = await startHarness(options);
  const store = await createTokenStore('memory', { clock: harness.clock });
  const provider = harness.provider.bind(harness);
  return {
    ...harness,
    store,
    provider: (spec = {}) => provider({ ...spec, store: spec.store ?? store }),
    close: async () => {
      await harness.close();
      await store.close();
    },
  };
}
