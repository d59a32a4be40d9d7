/**
 * A gateway built from real pieces as main.ts builds it: the emulator on loopback, the undici
 * client, a memory token store, createGatewayApps for the sandbox apps, and createApp (with the
 * sandbox's extensions when asked). Time is a manual clock shared by the emulator and the
 * providers.
 */
import { afterEach, beforeEach } from 'vitest';
import { createApp, type AppDeps, type GatewayYoga } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../../src/query-limits.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createGatewayApps, type GatewayApp } from '../../src/gateway-apps.js';
import { captureLogs } from '../support/log-capture.js';
import { createSandboxExtensions, sandboxAppConfigs } from '../../src/sandbox/index.js';
import { createTokenStore, type TokenStore } from '../../src/tokens/store.js';
import { createWechatHttp, type WechatHttpOptions } from '../../src/wechat/http.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

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
  graphiql?: boolean;
  introspection?: boolean;
  sandbox?: boolean;
  /** Sandbox only: the throw-away admin key startSandbox pre-fills in GraphiQL when none is set. */
  sandboxAdminKey?: string;
  corsOrigins?: '*' | readonly string[];
  http?: Partial<WechatHttpOptions>;
  queryLimits?: Partial<QueryLimits>;
  /** Wraps the gateway's memory token store (e.g. to take it down, see test/tokens/fakes.ts). */
  wrapStore?: (store: TokenStore) => TokenStore;
  /** Something between the gateway and the emulator (e.g. a fault-injecting proxy). */
  upstream?: (emulatorUrl: string) => Promise<Upstream>;
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
  /** Every log line the gateway wrote (JSON), to check that nothing secret reaches a log. */
  readonly logs: string[];
  query<TData = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; headers?: Record<string, string> },
  ): Promise<GraphQLResult<TData>>;
  close(): Promise<void>;
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_KEY}` };

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const clock = createManualClock();
  const emulator = await createEmulator({ clock });
  const upstream = await options.upstream?.(emulator.url);
  const http = createWechatHttp({ baseUrl: upstream?.url ?? emulator.url, ...options.http });
  const memory = await createTokenStore('memory', { clock });
  const store = options.wrapStore?.(memory) ?? memory;
  const { logger, lines: logs } = captureLogs();
  const { apps } = createGatewayApps(sandboxAppConfigs(emulator, 'stable'), {
    http,
    store,
    clock,
    logger,
  });
  const byKind = (kind: GatewayApp['kind']): GatewayApp => {
    const found = apps.find((app) => app.kind === kind);
    if (!found) throw new Error(`no ${kind} app`);
    return found;
  };
  const deps: AppDeps = {
    apps,
    defaultApp: 'official',
    adminApiKey: options.adminApiKey === null ? undefined : (options.adminApiKey ?? ADMIN_KEY),
    tokenStore: store,
    clock,
    logger,
    graphiql: options.graphiql ?? true,
    introspection: options.introspection,
    queryLimits: { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
    corsOrigins: options.corsOrigins,
    ...(options.sandbox ? createSandboxExtensions(emulator, options.sandboxAdminKey) : {}),
  };
  const yoga = createApp(deps);
  return {
    emulator,
    clock,
    yoga,
    official: byKind('official'),
    mini: byKind('miniprogram'),
    logs,
    async query<TData>(
      query: string,
      init: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
    ): Promise<GraphQLResult<TData>> {
      const response = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: JSON.stringify({ query, variables: init.variables }),
      });
      const text = await response.text();
      const body: GraphQLBody<TData> = JSON.parse(text);
      return { status: response.status, headers: response.headers, text, body };
    },
    async close() {
      await store.close();
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
