/**
 * Composition root: config → (sandbox emulator) → upstream client → token store → one token
 * provider and API client per app → yoga → node:http. Everything opened here is closed on
 * SIGINT/SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import type { AccessConfig } from './config/access.js';
import { createApp, type GatewayYoga } from './app/app.js';
import { systemClock } from './shared/clock.js';
import { disabledCapabilities } from './config/capabilities.js';
import { ConfigError, loadConfig, type GatewayConfig } from './config/config.js';
import { createDrain } from './http/drain.js';
import { createShutdown, type ShutdownStage } from './http/shutdown.js';
import { loadEnvFile } from './config/env-file.js';
import { unsupportedNode } from './config/node-version.js';
import { openEventBackend } from './events/open-backend.js';
import { createCredentialCheck } from './apps/credential-check.js';
import { createGatewayApps, type GatewayApp } from './apps/gateway-apps.js';
import { createGatewayMetrics } from './observability/gateway-metrics.js';
import { graphiqlAssets } from './graphiql/assets.js';
import { createLogger, type Logger } from './observability/logger.js';
import { METRICS_PATH } from './observability/metrics-route.js';
import { describeListenError, StartupError } from './config/startup-errors.js';
import type { Sandbox } from './sandbox/index.js';
import { type StoreHealth } from './store/store.js';
import { createTokenStore } from './store/open.js';
import { createWechatHttp } from './wechat/http.js';
import type { WechatAppConfig } from './wechat/types.js';

/** A configuration error is the operator's to fix: print it plainly, no stack trace. */
function loadConfigOrExit(): GatewayConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function listen(server: Server, config: GatewayConfig): Promise<string> {
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new StartupError(describeListenError(error, config.host, config.port))),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  // A wildcard address is not something to paste into a browser.
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
}

/** Where upstream calls go and which apps to serve: the emulator's in sandbox mode. */
async function openUpstream(
  config: GatewayConfig,
  logger: Logger,
): Promise<{
  appConfigs: readonly WechatAppConfig[];
  baseUrl: string;
  access: AccessConfig;
  sandbox?: Sandbox;
}> {
  if (config.wechat.mode === 'live') {
    return {
      appConfigs: config.wechat.apps,
      baseUrl: config.wechat.baseUrl,
      access: config.access,
    };
  }
  // Imported only here, so a gateway talking to WeChat never loads the emulator.
  const { startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox(
    {
      tokenMode: config.wechat.tokenMode,
      access: config.access,
      keysFile: config.sandboxKeysFile,
    },
    logger,
  );
  const { appConfigs, baseUrl, access } = sandbox;
  return { appConfigs, baseUrl, access, sandbox };
}

function storeKind(config: GatewayConfig): string {
  const spec = config.tokenStore;
  // A redis URL may carry a password; only its scheme (and key prefix) is logged.
  if (!spec.startsWith('redis')) return spec;
  const scheme = spec.startsWith('rediss:') ? 'rediss' : 'redis';
  const { cluster, keyPrefix } = config.redis;
  return `${scheme}${cluster ? ' cluster' : ''}, keys ${keyPrefix}:*`;
}

function logListening(
  logger: Logger,
  config: GatewayConfig,
  started: { base: string; yoga: GatewayYoga; apps: readonly GatewayApp[]; access: AccessConfig },
): void {
  const { base, yoga, apps, access } = started;
  logger.info(
    {
      url: `${base}${yoga.graphqlEndpoint}`,
      listeningOn:
        config.host === '0.0.0.0' || config.host === '::'
          ? `every interface (${config.host}), port ${new URL(base).port}`
          : config.host,
      apps: apps.map((a) => `${a.name} (${a.kind}, ${a.appId})`),
      defaultApp: config.wechat.defaultApp,
      tokenStore: storeKind(config),
      graphiql: config.graphiql,
      adminFields: access.adminApiKey ? 'enabled' : 'disabled (no ADMIN_API_KEY)',
      serviceFields:
        access.serviceApiKeys.length > 0
          ? `enabled (${access.serviceApiKeys.length} key${access.serviceApiKeys.length === 1 ? '' : 's'})`
          : access.adminApiKey
            ? 'admin key only (no SERVICE_API_KEYS)'
            : 'disabled (no SERVICE_API_KEYS)',
      sessions:
        access.sessionSecrets.length > 0
          ? `enabled, ${access.sessionTtlMs / 1000} s`
          : 'disabled: login is off (no SESSION_SECRET)',
      jssdkAllowedHosts:
        access.jssdkAllowedHosts ?? 'none: jsapiConfig signs nothing (set JSSDK_ALLOWED_HOSTS)',
      trustProxy: access.trustProxyHops,
      metrics: access.adminApiKey ? `${base}${METRICS_PATH} (admin key)` : 'off (no ADMIN_API_KEY)',
      wechatApi: config.wechat.mode === 'live' ? config.wechat.baseUrl : 'the sandbox emulator',
    },
    'wechat-graphql-gateway listening',
  );
}

/**
 * GraphiQL's files are compressed once, taking seconds of CPU in a worker thread that does not
 * hold a stopping gateway open: started now, so they are ready by the first visit (files asked
 * for earlier go out less compressed).
 */
function prepareGraphiql(logger: Logger): void {
  graphiqlAssets()
    .then((assets) => assets.compress())
    .then(
      () => logger.debug('GraphiQL files compressed (brotli and gzip)'),
      (error: unknown) => logger.warn({ err: error }, 'GraphiQL files could not be prepared'),
    );
}

/** Once per change, not per reconnect attempt: the store is a cache, serving goes on without it. */
function logStoreHealth(logger: Logger, health: StoreHealth, cause?: Error): void {
  if (health.reachable) {
    logger.info('token store reachable: tokens are shared with the fleet through it');
    return;
  }
  logger.warn(
    { err: cause, tokenStore: health.state },
    'token store unreachable: serving with in-process coordination (this instance fetches its own tokens) until it answers; /readyz shows its state',
  );
}

/** Closed in order once no connection is left, each named for the ERROR line should it hang. */
function closingStages(opened: {
  gatewayApps: { idle(): Promise<void> };
  eventBackend: { close(): Promise<void> };
  store: { close(): Promise<void> };
  http: { close(): Promise<void> };
  sandbox?: { close(): Promise<void> };
}): ShutdownStage[] {
  const { gatewayApps, eventBackend, store, http, sandbox } = opened;
  return [
    // A background refresh may still be writing to the store.
    { name: 'waiting for token refreshes', run: () => gatewayApps.idle() },
    { name: 'closing the event log', run: () => eventBackend.close() },
    { name: 'closing the token store', run: () => store.close() },
    { name: 'closing upstream connections', run: () => http.close() },
    { name: 'stopping the sandbox emulator', run: () => sandbox?.close() },
  ];
}

async function main(): Promise<void> {
  const oldNode = unsupportedNode(process.versions.node);
  if (oldNode) throw new StartupError(oldNode);
  const envFile = loadEnvFile();
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  if (envFile) {
    logger.info(
      { variables: envFile.loaded, keptFromEnvironment: envFile.overridden },
      `read ${envFile.file}: ${envFile.loaded.length} variable(s) the environment does not set`,
    );
  }
  for (const warning of config.warnings) logger.warn(warning);
  for (const capability of disabledCapabilities(config)) logger.warn(capability);

  const { appConfigs, baseUrl, access, sandbox } = await openUpstream(config, logger);
  const metrics = createGatewayMetrics();
  const http = createWechatHttp({ baseUrl, observer: metrics.upstream });
  const { keyPrefix, ...redis } = config.redis;
  const store = await createTokenStore(config.tokenStore, {
    namespace: keyPrefix,
    redis,
    onHealthChange: (health, cause) => logStoreHealth(logger, health, cause),
    onWarning: (message) => logger.warn(message),
  });
  const gatewayApps = createGatewayApps(appConfigs, {
    http,
    store,
    clock: systemClock,
    logger,
    tokenOptions: config.tokens,
    users: config.users,
    // In the sandbox the emulator serves the QR code images WeChat would.
    qrImageEndpoint: sandbox ? `${baseUrl}/cgi-bin/showqrcode` : undefined,
    metrics,
  });
  const drain = createDrain();
  // Live mode only: the emulator in sandbox mode accepts its own credentials by construction.
  const credentials =
    sandbox || !config.checkCredentialsAtStart
      ? undefined
      : createCredentialCheck({ apps: gatewayApps.apps, logger });
  const eventBackend = await openEventBackend(config.tokenStore, {
    store,
    clock: systemClock,
    retain: config.events.retain,
    onWarning: (message, error) => logger.warn({ err: error }, message),
    redis,
  });
  const callbacks = { ...config.events.callbacks, ...sandbox?.extensions.events?.callbacks };
  const yoga = createApp({
    apps: gatewayApps.apps,
    defaultApp: config.wechat.defaultApp,
    access,
    store,
    clock: systemClock,
    logger,
    graphiql: config.graphiql,
    introspection: config.introspection,
    corsOrigins: config.corsOrigins,
    queryLimits: config.queryLimits,
    drain,
    credentials,
    metrics,
    ...sandbox?.extensions,
    events: {
      callbacks,
      backend: eventBackend,
      subscriptionsPerCaller: config.events.subscriptionsPerCaller,
    },
  });

  const server = createServer(yoga);
  // Before listening: the shutdown follows every connection from its start.
  const shutdown = createShutdown({
    ...{ server, logger, drain, yoga, delayMs: config.shutdownDelayMs },
    closeRest: closingStages({ gatewayApps, eventBackend, store, http, sandbox }),
  });
  const base = await listen(server, config);
  logListening(logger, config, { base, yoga, apps: gatewayApps.apps, access });
  logger.info(
    {
      callbackUrls: Object.keys(callbacks).map((name) => `${base}/wechat/callback/${name}`),
      eventLog: eventBackend.kind,
      retain: config.events.retain,
    },
    sandbox
      ? 'WeChat push: the emulator pushes to these callback URLs'
      : 'WeChat push: set these URLs in the WeChat console (README, "Events")',
  );
  sandbox?.banner(base, yoga.graphqlEndpoint);
  if (config.graphiql) prepareGraphiql(logger);
  // Not awaited: /healthz answers meanwhile, /readyz says 503 until every app was checked.
  void credentials?.start();

  shutdown.handleSignals();
}

main().catch((error: unknown) => {
  // An operator's mistake reads like a configuration error; anything else keeps its stack.
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
