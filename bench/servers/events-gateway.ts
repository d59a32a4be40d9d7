/**
 * One gateway instance of the events benchmark (bench/events.ts): composed as src/main.ts
 * composes it with TOKEN_STORE=redis://… (Redis token store, Redis Streams event backend), with a
 * callback URL for its one official account. It makes no upstream call.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_RATE_LIMITS, DEFAULT_SESSION_TTL_MS } from '../../src/config/access.js';
import { createApp } from '../../src/app/app.js';
import { systemClock } from '../../src/shared/clock.js';
import { openEventBackend } from '../../src/events/open-backend.js';
import { createGatewayApps } from '../../src/apps/gateway-apps.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import { BENCH_SERVICE_KEY, listenOnLoopback, serve } from '../ipc.js';

const { BENCH_REDIS_URL, BENCH_NAMESPACE, BENCH_APP_ID, BENCH_TOKEN, BENCH_AES_KEY } = process.env;
if (!BENCH_REDIS_URL || !BENCH_NAMESPACE || !BENCH_APP_ID || !BENCH_TOKEN || !BENCH_AES_KEY) {
  throw new Error('the BENCH_* variables are set by bench/events.ts');
}

const logger = createLogger({ level: 'warn' });
const store = await createTokenStore(BENCH_REDIS_URL, { namespace: BENCH_NAMESPACE });
const backend = await openEventBackend(BENCH_REDIS_URL, {
  store,
  clock: systemClock,
  retain: 50_000,
});
// Never called: the benchmark only pushes and subscribes.
const http = createWechatHttp({ baseUrl: 'http://127.0.0.1:9' });
const app = {
  name: 'official',
  kind: 'official' as const,
  appId: BENCH_APP_ID,
  appSecret: 'bench-secret-not-used',
  tokenMode: 'stable' as const,
};
const { apps } = createGatewayApps([app], { http, store, clock: systemClock, logger });
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
  events: {
    callbacks: { official: { token: BENCH_TOKEN, aesKeys: [BENCH_AES_KEY] } },
    backend,
  },
});

/** How late the event loop ran timers: what a request that just arrived may wait before it is read. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** How long the gateway took to answer each push, measured where it is received. */
const callbackMs: number[] = [];
const server = createServer((req, res) => {
  if (!req.url?.startsWith('/wechat/callback/')) return void yoga(req, res);
  const started = performance.now();
  res.once('finish', () => callbackMs.push(performance.now() - started));
  void yoga(req, res);
});
server.keepAliveTimeout = 60_000;
const origin = await listenOnLoopback(server);
serve({ origin }, () => {
  const sorted = [...callbackMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    callbacks: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    loopDelayP99: loopDelay.percentile(99) / 1e6,
    loopDelayMax: loopDelay.max / 1e6,
  };
});
process.on('disconnect', () => {
  void backend.close().then(() => store.close());
});
