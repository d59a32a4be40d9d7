/**
 * (b) The gateway as src/main.ts composes it (undici client → memory token store → stable-token
 * provider → WechatApi → createApp), pointed at the emulator process. Only the official account is
 * configured: it is the one the benchmark queries.
 */
import { createServer } from 'node:http';
import { createApp } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { createTokenProvider } from '../../src/tokens/provider.js';
import { createTokenStore } from '../../src/tokens/store.js';
import { createWechatApi } from '../../src/wechat/api.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import type { WechatAppConfig } from '../../src/wechat/types.js';
import { listenOnLoopback, serve } from '../ipc.js';

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
const http = createWechatHttp({ baseUrl: BENCH_EMULATOR_URL });
const store = await createTokenStore('memory');
const tokens = createTokenProvider({ app, http, store, clock: systemClock, logger });
const api = createWechatApi({ app, http, tokens });
const yoga = createApp({
  apps: [{ name: app.name, kind: app.kind, appId: app.appId, api, tokens }],
  defaultApp: app.name,
  adminApiKey: undefined,
  clock: systemClock,
  logger,
  graphiql: false,
});

const origin = await listenOnLoopback(createServer(yoga));
serve({ url: `${origin}${yoga.graphqlEndpoint}` }, () => ({}));
