/**
 * Real pieces for the token tests: the emulator on loopback with a manual clock shared by the
 * providers, the undici client, a store, and a logger whose every line is kept.
 */
import { afterEach, beforeEach } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import {
  createTokenProvider,
  type LocalTokenProvider,
  type TokenProviderOptions,
} from '../../src/tokens/provider.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatApi } from '../../src/wechat/api.js';
import {
  createWechatHttp,
  type WechatHttp,
  type WechatHttpOptions,
} from '../../src/wechat/http.js';
import type { WechatApi, WechatAppConfig } from '../../src/wechat/types.js';
import { firstFollower, officialApp } from '../support/apps.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';

export interface ProviderSpec {
  app?: WechatAppConfig;
  store?: TokenStore;
  /** Default: the harness's client; a wrapper around it (see fakes.ts) to watch or rewrite calls. */
  http?: WechatHttp;
  options?: TokenProviderOptions;
  random?: () => number;
  instanceId?: string;
  realSleep?: boolean;
  /** Each sleep moves the shared clock by its length (a memory store's lease then expires). */
  sleepMovesClock?: boolean;
}

export interface Harness {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  readonly http: WechatHttp;
  readonly logs: LogCapture;
  /** Delays the providers asked to sleep (lease polls, quick cold retries); never really slept. */
  readonly sleeps: number[];
  provider(spec?: ProviderSpec): LocalTokenProvider;
  api(provider: LocalTokenProvider, app?: WechatAppConfig): WechatApi;
  /** The official account's first follower. */
  follower(): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  http?: Partial<WechatHttpOptions>;
  emulator?: Omit<EmulatorOptions, 'clock'>;
}

/**
 * Starts the emulator (manual clock) and an http client; providers made by `provider()` share
 * the clock, a capturing logger and a no-op sleep, and are idled on close.
 */
export async function startHarness(
  options: HarnessOptions & { store?: TokenStore } = {},
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
        http: spec.http ?? http,
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
    follower: () => firstFollower(emulator),
    async close() {
      await Promise.all(providers.map((provider) => provider.idle()));
      await http.close();
      await emulator.close();
    },
  };
}

/** A harness on a fresh memory store whose expiry follows the harness clock. */
export type MemoryHarness = Harness & { store: TokenStore };

export async function startMemoryHarness(options: HarnessOptions = {}): Promise<MemoryHarness> {
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

/**
 * A fresh memory harness for every test of the calling file: `useMemoryHarness((x) => (h = x))`.
 * The callback form keeps test bodies reading the file's own `h`. The returned `restart` swaps
 * in a harness with other options for one test; whichever is current is closed after it.
 */
export function useMemoryHarness(
  assign: (harness: MemoryHarness) => void,
): (options: HarnessOptions) => Promise<void> {
  let current: MemoryHarness | undefined;
  const start = async (options?: HarnessOptions): Promise<void> => {
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
