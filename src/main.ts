/**
 * Composition root: config → (sandbox emulator) → upstream client → token store → one token
 * provider and API client per app → yoga → node:http. Everything opened here is closed on
 * SIGINT/SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import type { AccessConfig } from './access-config.js';
import { createApp, type GatewayYoga } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { openEventBackend } from './events/open-backend.js';
import { createGatewayApps, type GatewayApp } from './gateway-apps.js';
import { createLogger, type Logger } from './logger.js';
import { METRICS_PATH } from './metrics.js';
import type { Sandbox } from './sandbox/index.js';
import { createTokenStore, type StoreHealth } from './tokens/store.js';
import { createWechatHttp } from './wechat/http.js';
import type { WechatAppConfig } from './wechat/types.js';

/** How long in-flight requests get to finish on shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

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
    server.once('error', reject);
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
    { tokenMode: config.wechat.tokenMode, access: config.access },
    logger,
  );
  const { appConfigs, baseUrl, access } = sandbox;
  return { appConfigs, baseUrl, access, sandbox };
}

function storeKind(spec: string): string {
  // A redis URL may carry a password; only its scheme is logged.
  if (spec.startsWith('rediss:')) return 'rediss';
  return spec.startsWith('redis:') ? 'redis' : spec;
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
      apps: apps.map((a) => `${a.name} (${a.kind}, ${a.appId})`),
      defaultApp: config.wechat.defaultApp,
      tokenStore: storeKind(config.tokenStore),
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
      metrics: `${base}${METRICS_PATH} (admin key)`,
    },
    'wechat-graphql-gateway listening',
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

/**
 * SIGINT/SIGTERM: stop accepting, give in-flight requests SHUTDOWN_GRACE_MS, then `closeRest`.
 * A second signal exits at once.
 */
function closeOnSignal(server: Server, logger: Logger, closeRest: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: shutting down`);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    await closeRest();
    logger.info('stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  const { appConfigs, baseUrl, access, sandbox } = await openUpstream(config, logger);
  const http = createWechatHttp({ baseUrl });
  const store = await createTokenStore(config.tokenStore, {
    onHealthChange: (health, cause) => logStoreHealth(logger, health, cause),
    onWarning: (message) => logger.warn(message),
  });
  const gatewayApps = createGatewayApps(appConfigs, {
    http,
    store,
    clock: systemClock,
    logger,
    tokenOptions: config.tokens,
  });
  const eventBackend = await openEventBackend(config.tokenStore, {
    store,
    clock: systemClock,
    retain: config.events.retain,
    onWarning: (message, error) => logger.warn({ err: error }, message),
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
    ...sandbox?.extensions,
    events: { callbacks, backend: eventBackend },
  });

  const server = createServer(yoga);
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

  closeOnSignal(server, logger, async () => {
    // A background refresh may still be writing to the store.
    await gatewayApps.idle();
    await eventBackend.close();
    await store.close();
    await http.close();
    await sandbox?.close();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
