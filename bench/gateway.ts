/**
 * The gateway as an operator runs it: `node --import tsx src/main.ts` (what `npm start` runs) or
 * `node dist/src/main.js` (`npm run start:prod`), configured only through its environment, live
 * mode against the bench's emulator. Rows differ only in the variables they add.
 */
import { BENCH_SERVICE_KEY } from './ipc.js';
import { OFFICIAL } from './emulator.js';
import { startProcess, tsxArgs, type Started } from './processes.js';

export const SERVICE_KEY = BENCH_SERVICE_KEY;
export const SESSION_SECRET = 'bench-session-secret-0123456789abcdef0123456789';

/**
 * Gateway variables the bench takes from its own environment and passes on, e.g.
 * `USER_BATCH_WINDOW_MS=2 npm run bench`. Everything else is set here.
 */
const PASSED_THROUGH = ['USER_BATCH_WINDOW_MS'] as const;

/** PATH and HOME only: a developer's shell or .env must not change what is measured. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The variables of a row: what the report lists next to it (no secrets among them). */
export function gatewaySettings(extra: Record<string, string>): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined && value.trim() !== '') settings[key] = value;
  }
  return { TOKEN_STORE: 'memory', ...settings, ...extra };
}

export function gatewayEnv(
  emulatorUrl: string,
  settings: Record<string, string>,
): Record<string, string> {
  return cleanEnv({
    ENV_FILE: 'none',
    NODE_ENV: 'production',
    CORS_ORIGINS: 'none',
    // Served so its size can be measured; introspection stays off, as in production.
    GRAPHIQL: 'true',
    INTROSPECTION: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    SHUTDOWN_DELAY_MS: '0',
    WECHAT_APP_ID: OFFICIAL.appId,
    WECHAT_APP_SECRET: OFFICIAL.appSecret,
    WECHAT_API_BASE_URL: emulatorUrl,
    SERVICE_API_KEYS: SERVICE_KEY,
    SESSION_SECRET,
    ...settings,
  });
}

/** The listening line of src/main.ts carries the GraphQL URL. */
const LISTENING = /"url":"(http:\/\/[^"]+)".*"msg":"wechat-graphql-gateway listening"/;

export type GatewayBuild = 'tsx' | 'dist';

export function startGateway(
  name: string,
  env: Record<string, string>,
  build: GatewayBuild = 'tsx',
): Promise<Started> {
  const args = build === 'tsx' ? tsxArgs('src/main.ts') : ['dist/src/main.js'];
  return startProcess(name, process.execPath, args, { env, ready: LISTENING });
}
