/**
 * One gateway instance in its own process, started by ./gateway-process.ts: composed as
 * src/main.ts composes it (upstream client → Redis store → apps → createApp → node:http), calling
 * the emulator of the test process. Its clock is a manual one the test moves over IPC (each move
 * acknowledged, so it lands before the next HTTP request). Reports its URL; closes on `close`.
 */
import { createServer } from 'node:http';
import { DEFAULT_RATE_LIMITS, DEFAULT_SESSION_TTL_MS } from '../../src/config/access.js';
import { createApp } from '../../src/app/app.js';
import { createManualClock } from '../../src/shared/clock.js';
import type { CallbackSettings } from '../../src/config/events.js';
import { openEventBackend } from '../../src/events/open-backend.js';
import { createGatewayApps } from '../../src/apps/gateway-apps.js';
import { createSilentLogger } from '../../src/observability/logger.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import type { WechatAppConfig } from '../../src/wechat/types.js';
import { listenOnLoopback } from './ports.js';

export interface GatewayProcessConfig {
  redisUrl: string;
  namespace: string;
  emulatorUrl: string;
  apps: WechatAppConfig[];
  sessionSecret: string;
  serviceKey: string;
  /** The test's clock at start. */
  clockMs: number;
  /** Server push: callback settings by app name (events go through Redis Streams). */
  callbacks?: Record<string, CallbackSettings>;
}

export type GatewayProcessRequest = { type: 'clock'; now: number } | { type: 'close' };

export type GatewayProcessReply =
  | { type: 'ready'; url: string }
  | { type: 'clock-set'; now: number }
  | { type: 'fatal'; message: string };

function isRequest(value: unknown): value is GatewayProcessRequest {
  return typeof value === 'object' && value !== null && 'type' in value;
}

function send(reply: GatewayProcessReply): void {
  process.send?.(reply);
}

async function main(): Promise<void> {
  const raw = process.env.WGG_GATEWAY_CONFIG;
  if (raw === undefined) throw new Error('WGG_GATEWAY_CONFIG is not set');
  const config: GatewayProcessConfig = JSON.parse(raw);
  const logger = createSilentLogger();
  const clock = createManualClock(config.clockMs);
  const http = createWechatHttp({ baseUrl: config.emulatorUrl });
  const store = await createTokenStore(config.redisUrl, { namespace: config.namespace });
  const gatewayApps = createGatewayApps(config.apps, { http, store, clock, logger });
  const eventBackend = await openEventBackend(config.redisUrl, { store, clock, retain: 10_000 });
  const yoga = createApp({
    events: { callbacks: config.callbacks ?? {}, backend: eventBackend },
    apps: gatewayApps.apps,
    defaultApp: 'official',
    access: {
      adminApiKey: undefined,
      serviceApiKeys: [config.serviceKey],
      sessionSecrets: [config.sessionSecret],
      sessionTtlMs: DEFAULT_SESSION_TTL_MS,
      trustProxyHops: 0,
      rateLimits: DEFAULT_RATE_LIMITS,
      jssdkAllowedHosts: 'any',
    },
    store,
    clock,
    logger,
    graphiql: false,
  });
  const server = createServer(yoga);
  const { url } = await listenOnLoopback(server);
  process.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
    if (message.type === 'clock') {
      clock.set(message.now);
      send({ type: 'clock-set', now: message.now });
      return;
    }
    server.closeAllConnections();
    server.close(() => {
      Promise.all([gatewayApps.idle(), http.close(), eventBackend.close()])
        .then(() => store.close())
        .finally(() => process.disconnect());
    });
  });
  send({ type: 'ready', url: `${url}/graphql` });
}

main().catch((error: unknown) => {
  send({ type: 'fatal', message: String(error) });
  process.exitCode = 1;
  process.disconnect();
});
