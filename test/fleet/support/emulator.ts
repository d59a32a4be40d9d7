/**
 * The WeChat emulator as `npm run emulator` runs it, in its own process (WeChat is another
 * machine), driven through its HTTP controls (src/emulator/README.md).
 */
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { DEFAULT_EMULATOR_APPS } from '../../../src/emulator/index.js';
import { childEnv, startChild, type Child } from '../../support/processes.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../../support/wechat-api.js';

const MAIN = fileURLToPath(new URL('../../../src/emulator/main.ts', import.meta.url));

const official = DEFAULT_EMULATOR_APPS.find((app) => app.kind === 'official');
if (official === undefined) throw new Error('the emulator has no official account');
/** The sandbox official account every gateway of the suite serves. */
export const FLEET_APP = official;

export interface EmulatorProcess {
  readonly url: string;
  readonly process: Child;
  /** Token calls received so far (legacy and stable endpoints together). */
  tokenCalls(): Promise<number>;
  /** Requests per path received so far. */
  calls(): Promise<Record<string, number>>;
  /** Moves the emulator's clock forward (its tokens age, the gateways' clocks do not move). */
  advance(seconds: number): Promise<void>;
  /** "Another environment" fetches a legacy token (not counted in calls). */
  takeLegacyToken(): Promise<string>;
  /** Another environment force-refreshes the stable token: the old one dies at once. */
  forceRotateStable(): Promise<string>;
  /** Every token of the app is now expired (42001). */
  expireTokens(): Promise<void>;
  failNext(path: string, count: number, errcode: number): Promise<void>;
  /** A seeded follower's openid. */
  follower(): Promise<string>;
  stop(): Promise<void>;
}

export interface EmulatorSettings {
  /** EMULATOR_TOKEN_LIFETIME_SECONDS / EMULATOR_TOKEN_HANDOVER_SECONDS; unset: WeChat's. */
  tokenLifetimeSeconds?: number;
  tokenHandoverSeconds?: number;
}

async function control(base: string, name: string, payload?: object): Promise<unknown> {
  const res = await request(`${base}/__emulator/${name}`, {
    method: payload === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new Error(`emulator control ${name}: ${res.statusCode} ${text}`);
  return JSON.parse(text);
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) throw new Error(`not an object: ${value}`);
  return Object.fromEntries(Object.entries(value))[key];
}

export async function startEmulator(settings: EmulatorSettings = {}): Promise<EmulatorProcess> {
  const env = childEnv({ EMULATOR_PORT: '0', EMULATOR_HOST: '127.0.0.1' });
  if (settings.tokenLifetimeSeconds !== undefined) {
    env.EMULATOR_TOKEN_LIFETIME_SECONDS = String(settings.tokenLifetimeSeconds);
  }
  if (settings.tokenHandoverSeconds !== undefined) {
    env.EMULATOR_TOKEN_HANDOVER_SECONDS = String(settings.tokenHandoverSeconds);
  }
  const child = startChild(process.execPath, ['--import', 'tsx', MAIN], {
    name: 'emulator',
    env,
    keepLines: 200,
    bannerEnd: /Stop with Ctrl\+C/,
    killAfterMs: 3_000,
  });
  const listening = /listening on (http:\/\/\S+)/;
  let url: string;
  try {
    url = listening.exec(await child.waitForLine(listening, 'listening line', 30_000))?.[1] ?? '';
  } catch (error) {
    await child.stop();
    throw new Error(
      `the emulator did not start: ${error instanceof Error ? error.message : error}`,
    );
  }
  const appid = FLEET_APP.appId;
  const calls = async (): Promise<Record<string, number>> => {
    const counts = field(await control(url, 'calls'), 'calls');
    const result: Record<string, number> = {};
    for (const [path, count] of Object.entries(counts ?? {})) {
      if (typeof count === 'number') result[path] = count;
    }
    return result;
  };
  return {
    url,
    process: child,
    calls,
    async tokenCalls() {
      const counts = await calls();
      return (counts[LEGACY_TOKEN_API] ?? 0) + (counts[STABLE_TOKEN_API] ?? 0);
    },
    async advance(seconds) {
      await control(url, 'clock/advance', { seconds });
    },
    async takeLegacyToken() {
      return String(field(await control(url, 'tokens/take-legacy', { appid }), 'access_token'));
    },
    async forceRotateStable() {
      return String(
        field(await control(url, 'tokens/force-rotate-stable', { appid }), 'access_token'),
      );
    },
    async expireTokens() {
      await control(url, 'tokens/expire', { appid });
    },
    async failNext(path, count, errcode) {
      await control(url, 'faults/fail-next', { path, count, errcode });
    },
    async follower() {
      const res = await request(`${url}/__emulator/followers?appid=${encodeURIComponent(appid)}`);
      const openids = field(JSON.parse(await res.body.text()), 'openids');
      if (!Array.isArray(openids) || typeof openids[0] !== 'string') {
        throw new Error('the emulator lists no follower');
      }
      return openids[0];
    },
    async stop() {
      await child.stop();
    },
  };
}
