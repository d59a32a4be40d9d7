/**
 * Composition root: config → (sandbox emulator) → upstream client → token store → one token
 * provider and API client per app → yoga → node:http. Everything opened here is closed on
 * SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, SANDBOX_APP_NAMES, type GatewayConfig } from './config.js';
import type { GatewayApp } from './context.js';
import { createEmulator, type Emulator } from './emulator/index.js';
import { createLogger, type Logger } from './logger.js';
import { METRICS_PATH } from './metrics.js';
import { SANDBOX_ROUTES } from './sandbox-routes.js';
import { createTokenProvider, type LocalTokenProvider } from './tokens/provider.js';
import { createTokenStore } from './tokens/store.js';
import { createWechatApi } from './wechat/api.js';
import { createWechatHttp } from './wechat/http.js';
import type { WechatAppConfig } from './wechat/types.js';

/** How long in-flight requests get to finish on shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function sandboxApps(emulator: Emulator, config: GatewayConfig): WechatAppConfig[] {
  const tokenMode = config.wechat.mode === 'sandbox' ? config.wechat.tokenMode : 'stable';
  return emulator.apps.map((app) => ({
    name: SANDBOX_APP_NAMES[app.kind],
    kind: app.kind,
    appId: app.appId,
    appSecret: app.appSecret,
    tokenMode,
  }));
}

function storeKind(spec: string): string {
  // A redis URL may carry a password; only its scheme is logged.
  if (spec.startsWith('rediss:')) return 'rediss';
  return spec.startsWith('redis:') ? 'redis' : spec;
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger: Logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  const emulator = config.wechat.mode === 'sandbox' ? await createEmulator() : undefined;
  const appConfigs = emulator
    ? sandboxApps(emulator, config)
    : config.wechat.mode === 'live'
      ? config.wechat.apps
      : [];
  const baseUrl = emulator
    ? emulator.url
    : config.wechat.mode === 'live'
      ? config.wechat.baseUrl
      : '';

  const http = createWechatHttp({ baseUrl });
  const store = await createTokenStore(config.tokenStore, {
    onError: (error) => logger.error({ err: error }, 'token store connection error'),
  });
  const providers: LocalTokenProvider[] = [];
  const apps: GatewayApp[] = appConfigs.map((app) => {
    const tokens = createTokenProvider({
      app,
      http,
      store,
      clock: systemClock,
      logger,
      options: config.tokens,
    });
    providers.push(tokens);
    const api = createWechatApi({ app, http, tokens });
    return { name: app.name, kind: app.kind, appId: app.appId, api, tokens };
  });

  // A sandbox without ADMIN_API_KEY gets a throw-away key, pre-filled in GraphiQL, so the admin
  // examples run; it guards only emulator tokens and is never logged.
  const sandboxAdminKey =
    emulator && config.adminApiKey === undefined
      ? randomBytes(24).toString('base64url')
      : undefined;
  const yoga = createApp({
    apps,
    defaultApp: config.wechat.defaultApp,
    adminApiKey: config.adminApiKey ?? sandboxAdminKey,
    clock: systemClock,
    logger,
    graphiql: config.graphiql,
    introspection: config.introspection,
    corsOrigins: config.corsOrigins,
    sandbox: emulator && { emulator, graphiqlAdminKey: sandboxAdminKey },
  });

  const server = createServer(yoga);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  logger.info(
    {
      url: `${base}${yoga.graphqlEndpoint}`,
      apps: apps.map((a) => `${a.name} (${a.kind}, ${a.appId})`),
      defaultApp: config.wechat.defaultApp,
      tokenStore: storeKind(config.tokenStore),
      graphiql: config.graphiql,
      adminFields:
        config.adminApiKey || sandboxAdminKey ? 'enabled' : 'disabled (no ADMIN_API_KEY)',
      metrics: `${base}${METRICS_PATH} (admin key)`,
    },
    'wechat-graphql-gateway listening',
  );
  if (emulator) {
    logger.warn(
      { graphiql: `${base}${yoga.graphqlEndpoint}`, emulator: emulator.url },
      'SANDBOX MODE: WECHAT_APP_ID/WECHAT_APP_SECRET are not set, so a local WeChat emulator answers ' +
        'every upstream call with generated data. Set them to talk to WeChat.',
    );
    logger.warn(
      `SANDBOX MODE: open ${base}${yoga.graphqlEndpoint} in a browser; the examples there are ready ` +
        `to run. New login codes: ${base}${SANDBOX_ROUTES.oauthCode}?scope=snsapi_userinfo ` +
        `(official account) and ${base}${SANDBOX_ROUTES.jsCode} (mini program), GET or POST.`,
    );
    if (sandboxAdminKey) {
      logger.warn(
        'SANDBOX MODE: admin fields use a generated key that GraphiQL sends for you; set ' +
          'ADMIN_API_KEY to use your own (e.g. with curl).',
      );
    }
  }

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
    // A background refresh may still be writing to the store.
    await Promise.all(providers.map((provider) => provider.idle()));
    await store.close();
    await http.close();
    await emulator?.close();
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
