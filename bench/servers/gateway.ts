/**
 * (b) The gateway as src/main.ts composes it (undici client → memory token store →
 * createGatewayApps → createApp), pointed at the emulator process. Only the official account is
 * configured: it is the one the benchmark queries.
 */
import { createServer } from 'node:http';
import { DEFAULT_RATE_LIMITS, DEFAULT_SESSION_TTL_MS } from '../../src/access-config.js';
import { createApp } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import { createGatewayApps } from '../../src/gateway-apps.js';
import { createGatewayMetrics } from '../../src/gateway-metrics.js';
import { createLogger } from '../../src/logger.js';
import { createTokenStore } from '../../src/tokens/store.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import type { WechatAppConfig } from '../../src/wechat/types.js';
import { BENCH_SERVICE_KEY, listenOnLoopback, serve } from '../ipc.js';

const { BENCH_EMULATOR_URL, BENCH_APP_ID, BENCH_APP_SECRET } = process.env;
if (!BENCH_EMULATOR_URL || !BENCH_APP_ID || !BENCH_APP_SECRET) {
  throw new Error('BENCH_EMULATOR_URL, BENCH_APP_ID and BENCH_APP_SECRET are set by bench/run.ts');
}

const logger = createLogger({ level: 'warn' });
const app: WechatAppConfig = {
  name: 'official',
  kind: 'official',
  appId: BENCH_APP_ID,
  appSecret: BENCH_APP_SECRET,
  tokenMode: 'stable',
};
// Metrics wired as main.ts wires them: every upstream call and token lookup is counted.
const metrics = createGatewayMetrics();
const http = createWechatHttp({ baseUrl: BENCH_EMULATOR_URL, observer: metrics.upstream });
const store = await createTokenStore('memory');
const { apps } = createGatewayApps([app], { http, store, clock: systemClock, logger, metrics });
const yoga = createApp({
  apps,
  defaultApp: app.name,
  access: {
    adminApiKey: undefined,
    serviceApiKeys: [BENCH_SERVICE_KEY],
    sessionSecrets: [],
    sessionTtlMs: DEFAULT_SESSION_TTL_MS,
    trustProxyHops: 0,
    rateLimits: DEFAULT_RATE_LIMITS,
    jssdkAllowedHosts: undefined,
  },
  store,
  clock: systemClock,
  logger,
  graphiql: false,
  metrics,
});

const origin = await listenOnLoopback(createServer(yoga));
serve({ url: `${origin}${yoga.graphqlEndpoint}` }, () => ({}));
