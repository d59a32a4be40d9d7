/**
 * createApp(deps): the yoga instance, built from already-created pieces. No I/O besides reading
 * the SDL files once; `listen` happens in main.ts (or not at all: tests call `yoga.fetch`).
 */
import { readFileSync } from 'node:fs';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createSchema, createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { useDrain, type DrainState } from '../http/drain.js';
import { useHealth } from '../http/health.js';
import type { CredentialCheck } from '../apps/credential-check.js';
import { DEFAULT_IPV6_PREFIX_BITS, type AccessConfig } from '../config/access.js';
import { readAccessRules } from '../auth/access-rules.js';
import type { ClientSocketContext } from '../auth/client-address.js';
import { useAccessControl } from '../auth/enforce.js';
import { createAccessControl } from '../auth/index.js';
import { useAccessLog } from '../observability/access-log.js';
import { createGatewayMetrics, type GatewayMetrics } from '../observability/gateway-metrics.js';
import { createMetrics, useMetricsRoute } from '../observability/metrics-route.js';
import { createTokenGauges } from '../tokens/metrics.js';
import { useOperationMetrics } from '../observability/operation-metrics.js';
import type { Clock } from '../shared/clock.js';
import { createContextFactory, type GraphQLContext } from '../resolvers/context.js';
import { describeUpstreamError, findUpstreamError, maskGatewayError } from './errors.js';
import { createEventsService, type EventsOptions, type EventsService } from '../events/index.js';
import { useWechatCallback } from '../events/callback-route.js';
import { createAppRegistry, type AppRegistry, type GatewayApp } from '../apps/gateway-apps.js';
import { placeholderPage, type GraphiqlPageFactory } from '../graphiql/examples.js';
import { useIntrospectionCache } from '../graphiql/introspection.js';
import { useGraphiql } from '../graphiql/route.js';
import { createHostAllowlist } from '../auth/jssdk-hosts.js';
import type { Logger } from '../observability/logger.js';
import { usePayloadLimits } from '../http/payload-limits.js';
import { guardRouteFailures } from '../http/route-failures.js';
import { REQUEST_ID_HEADER } from '../observability/request-scope.js';
import {
  createQueryLimitRules,
  DEFAULT_QUERY_LIMITS,
  useMaxTokens,
  type QueryLimits,
} from '../http/query-limits.js';
import { resolvers } from '../resolvers/index.js';
import { UPSTREAM_COSTS } from '../resolvers/upstream-costs.js';
import { assertCostTable, useUpstreamBudget } from '../http/upstream-budget.js';
import { createCallerGate } from '../tokens/caller-gate.js';
import { useNoSuggestions } from '../http/suggestions.js';
import type { TokenStore } from '../store/store.js';

export const SCHEMA_FILES = [
  'access.graphql',
  'scalars.graphql',
  'user.graphql',
  'auth.graphql',
  'jssdk.graphql',
  'admin.graphql',
  'session.graphql',
  'messages.graphql',
  'mass.graphql',
  'qrcode.graphql',
  'miniprogram.graphql',
  'tags.graphql',
  'events.graphql',
] as const;

export function loadTypeDefs(): string[] {
  return SCHEMA_FILES.map((file) =>
    readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8'),
  );
}

export interface AppDeps {
  apps: readonly GatewayApp[];
  /** Name of the app used when a field's `app` argument is omitted. */
  defaultApp: string;
  /** Keys, sessions, abuse limits and the JS-SDK host allowlist (README, "Access"). */
  access: AccessConfig;
  /** Sessions (revocations, session_key) and rate-limit counters live next to the tokens. */
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql (Accept: text/html). */
  graphiql: boolean;
  /** Default: same as `graphiql`. */
  introspection?: boolean;
  /** Unset ones: DEFAULT_QUERY_LIMITS. */
  queryLimits?: Partial<QueryLimits>;
  /** Browser origins allowed by CORS: '*' (default) for any, [] for none. */
  corsOrigins?: '*' | readonly string[];
  /**
   * Plugins to add after the gateway's own, given the app registry. The sandbox adds its
   * code-minting routes this way, so createApp knows nothing of the emulator.
   */
  plugins?: (apps: AppRegistry) => Plugin[];
  /** What GraphiQL opens with on each page load; default: the examples with placeholders. */
  graphiqlPage?: GraphiqlPageFactory;
  /** Shutdown's first phase (/readyz 503, Connection: close, streams ended); main.ts owns it. */
  drain?: DrainState;
  /** Live mode's start-up check of each app's credentials (main.ts); /readyz reports it. */
  credentials?: Pick<CredentialCheck, 'ready' | 'report'>;
  /** Server push (callback URLs, event log); default: no callback URL, an in-memory log. */
  events?: EventsOptions;
  /**
   * The registry and observers the http client and the apps were given (main.ts makes one);
   * default: a registry of this app's own, without upstream or token figures.
   */
  metrics?: GatewayMetrics;
}

/** The pieces a caller such as the sandbox adds to createApp. */
export type AppExtensions = Pick<AppDeps, 'plugins' | 'graphiqlPage' | 'events'>;

/** Yoga logs every error it masks or maps; upstream failures are expected, so they are warnings. */
function createYogaLogger(logger: Logger): YogaLogger {
  const text = (args: unknown[]) => args.map(String).join(' ');
  return {
    // Yoga logs at debug level several times per request: build no string for a disabled level.
    debug: (...args: unknown[]) => {
      if (logger.isLevelEnabled('debug')) logger.debug(text(args));
    },
    info: (...args: unknown[]) => {
      if (logger.isLevelEnabled('info')) logger.info(text(args));
    },
    warn: (...args: unknown[]) => logger.warn(text(args)),
    error: (...args: unknown[]) => {
      const [error] = args;
      const path = error instanceof GraphQLError ? error.path?.join('.') : undefined;
      const upstream = findUpstreamError(error);
      if (upstream) {
        // Not `code`: the logger redacts that key (it usually holds an OAuth code).
        const errorCode = describeUpstreamError(upstream)?.extensions['code'];
        logger.warn({ path, errorCode, err: upstream }, 'upstream failure returned to the client');
        return;
      }
      const cause = error instanceof GraphQLError ? (error.originalError ?? error) : error;
      logger.error({ path, err: cause }, 'unexpected error (masked for the client)');
    },
  };
}

/**
 * A follow or unfollow, and a remark or tag mutation on any instance, drop the users concerned
 * from the user cache (when there is one). Returns what stops listening.
 */
function dropChangedUsers(apps: AppRegistry, events: EventsService): () => void {
  if (!apps.all.some((app) => app.users.caching)) return () => undefined;
  const byName = (name: string) => apps.all.find((app) => app.name === name);
  const stopChanges = events.onUserChange((change) =>
    byName(change.app)?.users.forget([change.openid]),
  );
  const stopNotes = events.onUserNote((note) => {
    const users = byName(note.app)?.users;
    if (note.openids) users?.forget(note.openids);
    if (note.tagId !== undefined) users?.forgetTag(note.tagId);
  });
  return () => {
    stopChanges();
    stopNotes();
  };
}

function validationRules(rules: ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

/**
 * '*': any origin may call, but never with credentials (yoga's default would reflect the origin
 * and send `Access-Control-Allow-Credentials: true`). A list allows only those origins. Every
 * credential travels in the Authorization header, so it is allowed; no cookies are used, so
 * browsers are never told to send any.
 *
 * A list is decided here, per request: a listed origin is echoed (with `Vary: Origin`), any other
 * gets no CORS header at all. Yoga's own list handling would answer an unlisted origin with
 * `Access-Control-Allow-Origin: null`, which grants the pages whose origin is `null` (sandboxed
 * iframes, file: pages), and a one-entry list to every origin.
 */
function corsOptions(origins: '*' | readonly string[]): YogaCors {
  // A page may send its own request id and read the one the gateway answered with.
  const exposedHeaders = [REQUEST_ID_HEADER];
  if (origins === '*') return { origin: '*', credentials: false, exposedHeaders };
  if (origins.length === 0) return false;
  const listed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !listed.has(origin)) return false;
    // No `origin` option: the plugin echoes the request's origin, checked above, and varies on it.
    return {
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'accept', REQUEST_ID_HEADER],
      exposedHeaders,
      credentials: false,
    };
  };
}

type YogaCors = Parameters<typeof createYoga>[0]['cors'];

export type GatewayYoga = ReturnType<typeof createApp>;

/**
 * Cross-site "simple" requests (a form POST, a GET from an <img>) carry none of these headers,
 * and a page cannot add one without a CORS preflight. Authorization counts: it forces one too.
 */
const CSRF_HEADERS = [
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'authorization',
];

const GRAPHQL_ENDPOINT = '/graphql';

export function createApp(deps: AppDeps) {
  const apps = createAppRegistry(deps.apps, deps.defaultApp);
  const introspection = deps.introspection ?? deps.graphiql;
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...deps.queryLimits };
  const rules: ValidationRule[] = createQueryLimitRules(limits);
  if (!introspection) rules.push(NoSchemaIntrospectionCustomRule);
  const schema = createSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers });
  // Throws, naming them, when a root field has no @auth rule: nothing starts open by accident.
  const accessRules = readAccessRules(schema);
  // Likewise when a root field has no upstream cost row: no operation escapes the budget.
  assertCostTable(schema, UPSTREAM_COSTS);
  const { store, clock, logger } = deps;
  const access = createAccessControl(deps.access, { apps, store, clock, logger });
  const gatewayMetrics = deps.metrics ?? createGatewayMetrics();
  const tokenGauges = createTokenGauges({
    apps: apps.all,
    clock,
    logger,
    registry: gatewayMetrics.registry,
  });
  const metrics = createMetrics({
    registry: gatewayMetrics.registry,
    refresh: tokenGauges.refresh,
  });
  const events = createEventsService({ apps, store, clock, logger, callbacks: {}, ...deps.events });
  const stopDroppingUsers = dropChangedUsers(apps, events);
  const graphiqlPage = deps.graphiqlPage ?? placeholderPage;
  const graphiqlOptions = (request: Request) => ({
    title: 'wechat-graphql-gateway',
    defaultTabs: graphiqlPage(apps, new URL(request.url).origin).tabs.map((tab) => ({
      title: tab.title,
      query: tab.query,
      headers: tab.headers === undefined ? null : JSON.stringify(tab.headers, null, 2),
    })),
  });
  const plugins = [
    // First: its request id covers every other plugin's logging, and it sees every response.
    useAccessLog({ logger, metrics: gatewayMetrics }),
    // Before any route reads the Authorization header (/metrics included).
    access.gate,
    useOperationMetrics(gatewayMetrics),
    useGraphiql({ endpoint: GRAPHQL_ENDPOINT, options: deps.graphiql && graphiqlOptions }),
    ...(introspection ? [useIntrospectionCache({ endpoint: GRAPHQL_ENDPOINT })] : []),
    useWechatCallback(events.receiver),
    useMetricsRoute({ metrics, authorize: (header) => access.check(header, '/metrics', 'ADMIN') }),
    useHealth({ store, apps: apps.all, drain: deps.drain, credentials: deps.credentials }),
    ...(deps.drain ? [useDrain(deps.drain)] : []),
    usePayloadLimits({ maxNesting: limits.maxNesting, logger }),
    useCSRFPrevention({ requestHeaders: CSRF_HEADERS }),
    useMaxTokens(limits),
    useAccessControl({ rules: accessRules, enabled: access.authenticator.enabled }),
    // After the access control: a refused caller hears that first, an allowed one is known.
    useUpstreamBudget({
      costs: UPSTREAM_COSTS,
      budget: limits.upstreamBudget,
      gate: createCallerGate(limits.upstreamConcurrency),
      trustProxyHops: deps.access.trustProxyHops,
      ipv6PrefixBits: deps.access.ipv6PrefixBits ?? DEFAULT_IPV6_PREFIX_BITS,
    }),
    validationRules(rules),
    ...(introspection ? [] : useNoSuggestions()),
    ...(deps.plugins?.(apps) ?? []),
    { onDispose: stopDroppingUsers },
  ];
  return createYoga<ClientSocketContext, GraphQLContext>({
    schema,
    context: createContextFactory({
      apps,
      clock,
      access,
      trustProxyHops: deps.access.trustProxyHops,
      jssdkHosts: createHostAllowlist(deps.access.jssdkAllowedHosts),
      maxUsersPerOperation: limits.maxUsers,
      events,
    }),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    // Yoga's page loads GraphiQL from a CDN (unreachable offline, slow in mainland China), and
    // render-graphiql's inlines all 9 MB into every load: useGraphiql serves it instead.
    graphiql: false,
    landingPage: false,
    cors: corsOptions(deps.corsOrigins ?? '*'),
    // isDev stays off: dev mode would copy original error messages into responses.
    maskedErrors: { maskError: maskGatewayError, isDev: false },
    logging: createYogaLogger(deps.logger),
    // 1000 openids are ~35 kB; anything far larger is not a request this API needs.
    maxRequestBodySize: 256 * 1024,
    // A route that throws answers a short 500 and logs the error, never its stack to the client.
    plugins: guardRouteFailures(plugins, logger),
  });
}
