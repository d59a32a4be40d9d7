/**
 * Composition root: config → (sandbox emulator) → upstream client → token store → one token
 * provider and API client per app → yoga → node:http. Everything opened here is closed on
 * SIGINT/SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import { createApp, type GatewayYoga } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { createGatewayApps, type GatewayApp } from './gateway-apps.js';
import { createLogger, type Logger } from './logger.js';
import { METRICS_PATH } from './metrics.js';
import { describeListenError, StartupError } from './startup-errors.js';
import type { Sandbox } from './sandbox/index.js';
import { createTokenStore } from './tokens/store.js';
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
): Promise<{ appConfigs: readonly WechatAppConfig[]; baseUrl: string; sandbox?: Sandbox }> {
  if (config.wechat.mode === 'live') {
    return { appConfigs: config.wechat.apps, baseUrl: config.wechat.baseUrl };
  }
  // Imported only here, so a gateway talking to WeChat never loads the emulator.
  const { startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox(
    { tokenMode: config.wechat.tokenMode, adminApiKey: config.adminApiKey },
    logger,
  );
  return { appConfigs: sandbox.appConfigs, baseUrl: sandbox.baseUrl, sandbox };
}

function storeKind(spec: string): string {
  // A redis URL may carry a password; only its scheme is logged.
  if (spec.startsWith('rediss:')) return 'rediss';
  return spec.startsWith('redis:') ? 'redis' : spec;
}

function logListening(
  logger: Logger,
  config: GatewayConfig,
  started: { base: string; yoga: GatewayYoga; apps: readonly GatewayApp[]; adminKey?: string },
): void {
  const { base, yoga, apps } = started;
  logger.info(
    {
      url: `${base}${yoga.graphqlEndpoint}`,
      apps: apps.map((a) => `${a.name} (${a.kind}, ${a.appId})`),
      defaultApp: config.wechat.defaultApp,
      tokenStore: storeKind(config.tokenStore),
      graphiql: config.graphiql,
      adminFields: started.adminKey ? 'enabled' : 'disabled (no ADMIN_API_KEY)',
      metrics: `${base}${METRICS_PATH} (admin key)`,
    },
    'wechat-graphql-gateway listening',
  );
}

/**
 * SIGINT/SIGTERM: stop accepting, give in-flight requests SHUTDOWN_GRACE_MS, then `closeRest`.
 * A second signal exits at once.
 */
function closeOnSignal(server: Server, logger: Logger, closeRest: () => Promise<void>): void {
  let stopping = false;
  let first = { signal: '', at: 0 };
  const shutdown = async (signal: string): Promise<void> => {
    // Ctrl+C under `npm start` arrives twice (from the terminal, and forwarded by npm): one request.
    if (stopping && signal === first.signal && systemClock.now() - first.at < 500) return;
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    first = { signal, at: systemClock.now() };
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
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of config.warnings) logger.warn(warning);

  const { appConfigs, baseUrl, sandbox } = await openUpstream(config, logger);
  const http = createWechatHttp({ baseUrl });
  const store = await createTokenStore(config.tokenStore, {
    onError: (error) => logger.error({ err: error }, 'token store connection error'),
    onWarning: (message) => logger.warn(message),
  });
  const gatewayApps = createGatewayApps(appConfigs, {
    http,
    store,
    clock: systemClock,
    logger,
    tokenOptions: config.tokens,
  });
  const adminKey = sandbox?.adminKey ?? config.adminApiKey;
  const yoga = createApp({
    apps: gatewayApps.apps,
    defaultApp: config.wechat.defaultApp,
    adminApiKey: adminKey,
    clock: systemClock,
    logger,
    graphiql: config.graphiql,
    introspection: config.introspection,
    corsOrigins: config.corsOrigins,
    ...sandbox?.extensions,
  });

  const server = createServer(yoga);
  const base = await listen(server, config);
  logListening(logger, config, { base, yoga, apps: gatewayApps.apps, adminKey });
  sandbox?.banner(base, yoga.graphqlEndpoint);

  closeOnSignal(server, logger, async () => {
    // A background refresh may still be writing to the store.
    await gatewayApps.idle();
    await store.close();
    await http.close();
    await sandbox?.close();
  });
}

main().catch((error: unknown) => {
  // An operator's mistake reads like a configuration error; anything else keeps its stack.
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
