/**
 * createApp(deps): the yoga instance, built from already-created pieces. No I/O besides reading
 * the SDL files once; `listen` happens in main.ts (or not at all: tests call `yoga.fetch`).
 */
import { readFileSync } from 'node:fs';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createSchema, createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { createAdminGuard, useAdminGuard } from './auth.js';
import { createMetrics, useMetricsRoute } from './metrics.js';
import type { Clock } from './clock.js';
import {
  createAppRegistry,
  createContextFactory,
  type GatewayApp,
  type GraphQLContext,
} from './context.js';
import { describeUpstreamError, findUpstreamError, maskGatewayError } from './errors.js';
import { graphiqlDefaultQuery, type ExampleValues } from './graphiql-examples.js';
import type { Logger } from './logger.js';
import {
  createQueryLimitRules,
  DEFAULT_QUERY_LIMITS,
  useMaxTokens,
  type QueryLimits,
} from './query-limits.js';
import { resolvers } from './resolvers/index.js';
import { useSandboxRoutes, type SandboxEmulator } from './sandbox-routes.js';

export const SCHEMA_FILES = [
  'scalars.graphql',
  'user.graphql',
  'auth.graphql',
  'jssdk.graphql',
  'admin.graphql',
] as const;

export function loadTypeDefs(): string[] {
  return SCHEMA_FILES.map((file) =>
    readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8'),
  );
}

export interface AppDeps {
  apps: readonly GatewayApp[];
  /** Name of the app used when a field's `app` argument is omitted. */
  defaultApp: string;
  /** Undefined: admin fields are disabled (FORBIDDEN), never open. */
  adminApiKey: string | undefined;
  clock: Clock;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql (Accept: text/html). */
  graphiql: boolean;
  /** Default: same as `graphiql`. */
  introspection?: boolean;
  queryLimits?: QueryLimits;
  /** Browser origins allowed by CORS: '*' (default) for any, [] for none. */
  corsOrigins?: '*' | readonly string[];
  /** Sandbox mode only: the in-process emulator, for code-minting routes and live examples. */
  sandbox?: {
    emulator: SandboxEmulator;
    /** A key generated for this sandbox run, pre-filled in GraphiQL's headers. */
    graphiqlAdminKey?: string;
  };
}

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

function validationRules(rules: ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

function exampleValues(deps: AppDeps, origin: string): ExampleValues {
  const sandbox = deps.sandbox;
  const official =
    deps.apps.find((a) => a.name === deps.defaultApp && a.kind === 'official') ??
    deps.apps.find((a) => a.kind === 'official');
  const mini = deps.apps.find((a) => a.kind === 'miniprogram');
  const officialApp = official && official.name !== deps.defaultApp ? official.name : undefined;
  if (!sandbox) {
    return { openids: [], officialApp, miniProgram: mini && { app: mini.name } };
  }
  const openids = official
    ? [
        ...sandbox.emulator.followerOpenids(official.appId).slice(0, 2),
        ...sandbox.emulator.unsubscribedOpenids(official.appId).slice(0, 1),
      ]
    : [];
  return {
    openids,
    officialApp,
    adminHeaderPrefilled: sandbox.graphiqlAdminKey !== undefined,
    // Fresh single-use codes on every page load, so the examples run as they are.
    oauthCode:
      official &&
      sandbox.emulator.mintOAuthCode(official.appId, {
        scope: 'snsapi_userinfo',
        openid: openids[0],
      }).code,
    miniProgram: mini && { app: mini.name, jsCode: sandbox.emulator.mintJsCode(mini.appId).code },
    sandboxUrl: origin,
  };
}

/**
 * GraphiQL's code font (Fira Code) draws `8x1` as `8×1`, and openids are full of such sequences:
 * someone retyping an openid from the screen would get it wrong. Show the characters as they are.
 */
const NO_LIGATURES =
  '<style>body * { font-variant-ligatures: none !important; font-feature-settings: "liga" 0, "calt" 0 !important; }</style>';

/**
 * '*' keeps yoga's default (the request's origin is allowed). A list allows only those origins;
 * admin calls need the Authorization header, so it is allowed too. No cookies are used.
 */
function corsOptions(origins: '*' | readonly string[]): YogaCors {
  if (origins === '*') return undefined;
  if (origins.length === 0) return false;
  return {
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'accept'],
    credentials: false,
  };
}

type YogaCors = Parameters<typeof createYoga>[0]['cors'];

export type GatewayYoga = ReturnType<typeof createApp>;

export function createApp(deps: AppDeps) {
  const apps = createAppRegistry(deps.apps, deps.defaultApp);
  const introspection = deps.introspection ?? deps.graphiql;
  const limits = deps.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const rules: ValidationRule[] = createQueryLimitRules(limits);
  if (!introspection) rules.push(NoSchemaIntrospectionCustomRule);
  const adminGuard = createAdminGuard(deps.adminApiKey);
  const metrics = createMetrics({ apps: apps.all, clock: deps.clock, logger: deps.logger });
  const plugins = [
    useMetricsRoute({ metrics, adminGuard }),
    useMaxTokens(limits),
    useAdminGuard(),
    validationRules(rules),
  ];
  if (deps.sandbox) plugins.push(useSandboxRoutes({ emulator: deps.sandbox.emulator, apps }));

  const adminKey = deps.sandbox?.graphiqlAdminKey;
  return createYoga({
    schema: createSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers }),
    context: createContextFactory({
      apps,
      clock: deps.clock,
      adminGuard,
      maxUsersPerOperation: limits.maxUsers,
    }),
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql
      ? (request) => ({
          title: 'wechat-graphql-gateway',
          defaultQuery: graphiqlDefaultQuery(exampleValues(deps, new URL(request.url).origin)),
          ...(adminKey === undefined
            ? {}
            : { headers: JSON.stringify({ Authorization: `Bearer ${adminKey}` }) }),
        })
      : false,
    // Yoga's default page loads GraphiQL from a CDN (unreachable offline, slow in mainland
    // China); this renderer inlines the bundle so the page needs nothing but the gateway.
    renderGraphiQL: (options) =>
      renderGraphiQL(options).replace('</head>', `${NO_LIGATURES}</head>`),
    landingPage: false,
    cors: corsOptions(deps.corsOrigins ?? '*'),
    // isDev stays off: dev mode would copy original error messages into responses.
    maskedErrors: { maskError: maskGatewayError, isDev: false },
    logging: createYogaLogger(deps.logger),
    // 1000 openids are ~35 kB; anything far larger is not a request this API needs.
    maxRequestBodySize: 256 * 1024,
    plugins,
  });
}
