/**
 * The gateway's WeChat apps: per configured app one token provider and one API client, and the
 * registry that turns a GraphQL `app:` argument into one of them. main.ts, the GraphQL test
 * harness and the benchmark all build their apps with createGatewayApps, so the wiring is
 * written once.
 */
import type { Clock } from './clock.js';
import { badUserInput } from './errors.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Logger } from './logger.js';
import {
  createTokenProvider,
  type LocalTokenProvider,
  type TokenProviderOptions,
} from './tokens/provider.js';
import type { TokenStore } from './tokens/store.js';
import type { TokenProvider } from './tokens/types.js';
import { createWechatApi } from './wechat/api.js';
import { createWechatFamilies, type WechatFamilies } from './wechat/families.js';
import type { WechatHttp } from './wechat/http.js';
import type { AppKind, WechatApi, WechatAppConfig } from './wechat/types.js';

/** One configured WeChat app with its upstream client and token provider (shared by all requests). */
export interface GatewayApp {
  readonly name: string;
  readonly kind: AppKind;
  readonly appId: string;
  readonly api: WechatApi;
  /** Messages, mass sends, QR codes, mini program calls, tags (src/wechat/families.ts). */
  readonly apis: WechatFamilies;
  readonly tokens: TokenProvider;
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
    return { name: app.name, kind: app.kind, appId: app.appId, api, apis, tokens };
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
