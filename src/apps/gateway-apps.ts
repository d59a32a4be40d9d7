/**
 * The gateway's WeChat apps: per configured app one token provider and one API client, and the
 * registry that turns a GraphQL `app:` argument into one of them. main.ts, the GraphQL test
 * harness and the benchmark all build their apps with createGatewayApps, so the wiring is
 * written once.
 */
import type { Clock } from '../shared/clock.js';
import { badUserInput } from '../shared/graphql-errors.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { Logger } from '../observability/logger.js';
import {
  createTokenProvider,
  type LocalTokenProvider,
  type TokenProviderOptions,
} from '../tokens/provider.js';
import type { TokenStore } from '../store/store.js';
import type { TokenProvider } from '../tokens/types.js';
import { createWechatApi } from '../wechat/api.js';
import { createWechatFamilies, type WechatFamilies } from '../wechat/families.js';
import type { WechatHttp } from '../wechat/http.js';
import type { AppKind, WechatApi, WechatAppConfig } from '../wechat/types.js';
import {
  createUserBatcher,
  DEFAULT_USER_BATCH_WINDOW_MS,
  type BatchScheduler,
  type UserBatcher,
} from '../wechat/user-batcher.js';
import { createUserCache, type UserCacheOptions } from '../wechat/user-cache.js';

/** One configured WeChat app with its upstream client and token provider (shared by all requests). */
export interface GatewayApp {
  readonly name: string;
  readonly kind: AppKind;
  readonly appId: string;
  readonly api: WechatApi;
  /** Messages, mass sends, QR codes, mini program calls, tags (src/wechat/families.ts). */
  readonly apis: WechatFamilies;
  readonly tokens: TokenProvider;
  /** User look-ups of every operation, merged into batchget calls (and the user cache). */
  readonly users: UserBatcher;
}

/** How user look-ups are merged and cached (README, "Batching and the user cache"). */
export interface UserLookupOptions {
  /** USER_BATCH_WINDOW_MS: how long a look-up waits for others to share its batchget call. */
  batchWindowMs?: number;
  /** USER_CACHE_TTL and USER_CACHE_MAX_ENTRIES; default: no cache. */
  cache?: UserCacheOptions;
  /** When a batch's window is over; tests hold it to see what merges. */
  schedule?: BatchScheduler;
}

export interface GatewayAppsDeps {
  /** One upstream client for every app: they share its connection pool. */
  http: WechatHttp;
  /** One store for every app: token keys are per appid. */
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** Token tuning for every app; knobs left unset keep the provider's defaults. */
  tokenOptions?: TokenProviderOptions;
  /** Where QR code images are served; default WeChat's showqrcode (the sandbox: the emulator's). */
  qrImageEndpoint?: string;
  users?: UserLookupOptions;
  /** Where the token providers report cache hits and fetches; default: nowhere. */
  metrics?: GatewayMetrics;
}

export interface GatewayApps {
  readonly apps: readonly GatewayApp[];
  /**
   * Resolves once no token refresh is in flight. A background refresh may still be writing to
   * the store, so shutdown waits for this before closing the store.
   */
  idle(): Promise<void>;
}

export function createGatewayApps(
  configs: readonly WechatAppConfig[],
  deps: GatewayAppsDeps,
): GatewayApps {
  const { http, store, clock, logger } = deps;
  const providers: LocalTokenProvider[] = [];
  // One cache for every app: one bound on the memory it holds.
  const userCache = createUserCache(deps.users?.cache ?? { ttlMs: 0, maxEntries: 0 }, clock);
  const batchWindowMs = deps.users?.batchWindowMs ?? DEFAULT_USER_BATCH_WINDOW_MS;
  const apps = configs.map((app): GatewayApp => {
    const tokens = createTokenProvider({
      app,
      http,
      store,
      clock,
      logger,
      options: deps.tokenOptions,
      cacheObserver: deps.metrics?.tokenCache(app.name),
    });
    providers.push(tokens);
    const api = createWechatApi({ app, http, tokens });
    const apis = createWechatFamilies({
      http,
      tokens,
      clock,
      qrImageEndpoint: deps.qrImageEndpoint,
    });
    const users = createUserBatcher({
      api,
      cache: userCache,
      windowMs: batchWindowMs,
      schedule: deps.users?.schedule,
      observer: deps.metrics?.userLookups(app.name),
    });
    return { name: app.name, kind: app.kind, appId: app.appId, api, apis, tokens, users };
  });
  return {
    apps,
    async idle() {
      await Promise.all(providers.map((provider) => provider.idle()));
    },
  };
}

/** The configured apps by name; `resolve` turns a GraphQL `app:` argument into one of them. */
export interface AppRegistry {
  readonly defaultApp: GatewayApp;
  readonly all: readonly GatewayApp[];
  readonly names: readonly string[];
  /** Omitted (null/undefined) means the default app; an unknown name is a BAD_USER_INPUT error. */
  resolve(name: string | null | undefined): GatewayApp;
}

export function createAppRegistry(apps: readonly GatewayApp[], defaultName: string): AppRegistry {
  const byName = new Map(apps.map((app) => [app.name, app]));
  if (byName.size !== apps.length) throw new Error('app names must be unique');
  const defaultApp = byName.get(defaultName);
  if (!defaultApp) throw new Error(`default app "${defaultName}" is not among the configured apps`);
  const names = [...byName.keys()];
  return {
    defaultApp,
    all: [...apps],
    names,
    resolve(name) {
      if (name === null || name === undefined) return defaultApp;
      const app = byName.get(name);
      if (app) return app;
      throw badUserInput(
        `Unknown app "${name}". Configured apps: ${names.map((n) => `"${n}"`).join(', ')}.`,
      );
    },
  };
}
