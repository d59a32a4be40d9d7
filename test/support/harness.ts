/**
 * A gateway built from real pieces as main.ts builds it: the emulator on loopback, the undici
 * client, a memory token store, createGatewayApps for the sandbox apps, and createApp (with the
 * sandbox's extensions when asked). Time is a manual clock shared by the emulator and the
 * providers.
 */
import { afterEach, beforeEach } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_SESSION_TTL_MS,
  type AccessConfig,
} from '../../src/config/access.js';
import { createApp, type AppDeps, type GatewayYoga } from '../../src/app/app.js';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../../src/http/query-limits.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  createGatewayApps,
  type GatewayApp,
  type UserLookupOptions,
} from '../../src/apps/gateway-apps.js';
import { createGatewayMetrics } from '../../src/observability/gateway-metrics.js';
import { captureLogs } from './log-capture.js';
import type { SandboxGraphiqlKeys } from '../../src/sandbox/graphiql.js';
import { createSandboxExtensions, sandboxAppConfigs } from '../../src/sandbox/index.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatHttp, type WechatHttpOptions } from '../../src/wechat/http.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef-ghij';
export const SERVICE_KEY = 'test-service-key-0123456789abcdef';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef-0123456789';
/** The address requests come from unless a test says otherwise (TEST-NET-2). */
export const CLIENT_ADDRESS = '198.51.100.7';

/** Who a test request is: the Authorization header it gets, unless `headers` sets one. */
export type As = 'anonymous' | 'service' | 'admin' | { token: string };

export interface QueryOptions {
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Default 'service': most tests exercise WeChat data fields, which need a service key. */
  as?: As;
  /** The socket peer address yoga sees (node:http's `req.socket.remoteAddress`). */
  clientAddress?: string;
}

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLBody<TData> {
  data?: TData | null;
  errors?: GraphQLErrorJson[];
}

export interface GraphQLResult<TData> {
  status: number;
  headers: Headers;
  text: string;
  body: GraphQLBody<TData>;
}

export interface GatewayOptions {
  /** Default ADMIN_KEY; null configures no key. */
  adminApiKey?: string | null;
  /** Overrides of the access configuration (default: SERVICE_KEY, SESSION_SECRET, any JS-SDK host). */
  access?: Partial<AccessConfig>;
  /** The token store (default: a memory store on the manual clock); the caller closes it. */
  store?: TokenStore;
  /** Puts something between the gateway and its store (e.g. a counter of store operations). */
  wrapStore?: (store: TokenStore) => TokenStore;
  graphiql?: boolean;
  introspection?: boolean;
  sandbox?: boolean;
  /** Sandbox only: the throw-away keys startSandbox has GraphiQL's tabs send. */
  sandboxKeys?: SandboxGraphiqlKeys;
  corsOrigins?: '*' | readonly string[];
  /** Shutdown's drain state, as main.ts passes it. */
  drain?: AppDeps['drain'];
  http?: Partial<WechatHttpOptions>;
  queryLimits?: Partial<QueryLimits>;
  /** Something between the gateway and the emulator (e.g. a fault-injecting proxy). */
  upstream?: (emulatorUrl: string) => Promise<Upstream>;
  /** Server push: callback settings per app, the event backend, EVENTS_RETAIN. */
  events?: AppDeps['events'];
  /** USER_BATCH_WINDOW_MS, the user cache, and when batches go (default: no cache, window 0). */
  users?: UserLookupOptions;
}

export interface Upstream {
  readonly url: string;
  close(): Promise<void>;
}

export interface Gateway {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  readonly yoga: GatewayYoga;
  readonly official: GatewayApp;
  readonly mini: GatewayApp;
  readonly store: TokenStore;
  readonly access: AccessConfig;
  /** Every log line the gateway wrote (JSON), to check that nothing secret reaches a log. */
  readonly logs: string[];
  query<TData = Record<string, unknown>>(
    query: string,
    options?: QueryOptions,
  ): Promise<GraphQLResult<TData>>;
  /**
   * Another instance of the fleet: its own yoga (own caches) over the same apps, store and clock,
   * with `access` overrides (e.g. other keys or secrets).
   */
  instance(access?: Partial<AccessConfig>): GatewayInstance;
  close(): Promise<void>;
}

export interface GatewayInstance {
  readonly yoga: GatewayYoga;
  query<TData = Record<string, unknown>>(
    query: string,
    options?: QueryOptions,
  ): Promise<GraphQLResult<TData>>;
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_KEY}` };
export const serviceHeaders = { authorization: `Bearer ${SERVICE_KEY}` };
export const sessionHeaders = (token: string) => ({ authorization: `Bearer ${token}` });

function authorization(as: As): Record<string, string> {
  if (as === 'anonymous') return {};
  if (as === 'service') return serviceHeaders;
  if (as === 'admin') return adminHeaders;
  return sessionHeaders(as.token);
}

/** POSTs one operation through `yoga.fetch`, as node:http would hand it over. */
export function createQuery(yoga: GatewayYoga): GatewayInstance['query'] {
  return async <TData>(query: string, init: QueryOptions = {}) => {
    const response = await yoga.fetch(
      'http://gateway.test/graphql',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...authorization(init.as ?? 'service'),
          ...init.headers,
        },
        body: JSON.stringify({ query, variables: init.variables }),
      },
      { req: { socket: { remoteAddress: init.clientAddress ?? CLIENT_ADDRESS } } },
    );
    const text = await response.text();
    const body: GraphQLBody<TData> = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, body };
  };
}

export function testAccess(options: GatewayOptions): AccessConfig {
  return {
    adminApiKey: options.adminApiKey === null ? undefined : (options.adminApiKey ?? ADMIN_KEY),
    serviceApiKeys: [SERVICE_KEY],
    sessionSecrets: [SESSION_SECRET],
    sessionTtlMs: DEFAULT_SESSION_TTL_MS,
    trustProxyHops: 0,
    rateLimits: DEFAULT_RATE_LIMITS,
    jssdkAllowedHosts: 'any',
    ...options.access,
  };
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const clock = createManualClock();
  const emulator = await createEmulator({ clock });
  const upstream = await options.upstream?.(emulator.url);
  // As main.ts wires it: the http client and the apps report into the registry /metrics serves.
  const metrics = createGatewayMetrics();
  const http = createWechatHttp({
    baseUrl: upstream?.url ?? emulator.url,
    observer: metrics.upstream,
    ...options.http,
  });
  const ownStore = options.store ?? (await createTokenStore('memory', { clock }));
  const store = options.wrapStore ? options.wrapStore(ownStore) : ownStore;
  const { logger, lines: logs } = captureLogs();
  const { apps } = createGatewayApps(sandboxAppConfigs(emulator, 'stable'), {
    http,
    store,
    clock,
    logger,
    qrImageEndpoint: `${emulator.url}/cgi-bin/showqrcode`,
    users: { batchWindowMs: 0, ...options.users },
    metrics,
  });
  const byKind = (kind: GatewayApp['kind']): GatewayApp => {
    const found = apps.find((app) => app.kind === kind);
    if (!found) throw new Error(`no ${kind} app`);
    return found;
  };
  const access = testAccess(options);
  const built: { yoga?: GatewayYoga } = {};
  const fail = (): never => {
    throw new Error('a push before the gateway was built');
  };
  const deps: AppDeps = {
    apps,
    defaultApp: 'official',
    access,
    store,
    clock,
    logger,
    graphiql: options.graphiql ?? true,
    introspection: options.introspection,
    queryLimits: { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
    corsOrigins: options.corsOrigins,
    drain: options.drain,
    metrics,
    ...(options.sandbox
      ? createSandboxExtensions(emulator, options.sandboxKeys, {
          clock,
          // The emulator pushes to http://gateway.test/wechat/callback/…: this gateway.
          pushFetch: async (url, init) => (built.yoga ?? fail()).fetch(url, init),
        })
      : {}),
    ...(options.events ? { events: options.events } : {}),
  };
  const yoga = createApp(deps);
  built.yoga = yoga;
  return {
    emulator,
    clock,
    yoga,
    official: byKind('official'),
    mini: byKind('miniprogram'),
    store,
    access,
    logs,
    query: createQuery(yoga),
    instance(overrides = {}) {
      // Another process would have its own registry.
      const other = createApp({
        ...deps,
        access: { ...access, ...overrides },
        metrics: createGatewayMetrics(),
      });
      return { yoga: other, query: createQuery(other) };
    },
    async close() {
      if (!options.store) await ownStore.close();
      await http.close();
      await upstream?.close();
      await emulator.close();
    },
  };
}

/** A fresh gateway per test. */
export function useGateway(options: GatewayOptions = {}): { readonly gw: Gateway } {
  let current: Gateway | undefined;
  beforeEach(async () => {
    current = await startGateway(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get gw() {
      if (!current) throw new Error('the gateway runs only inside a test');
      return current;
    },
  };
}

export function codesOf(body: GraphQLBody<unknown>): unknown[] {
  return (body.errors ?? []).map((error) => error.extensions?.['code']);
}
