/**
 * A gateway as an operator runs it: `node --import tsx src/main.ts`, configured by the
 * environment only (README's configuration table), talking to the emulator process.
 */
import { request } from 'undici';
import type { TokenMode } from '../../../src/wechat/types.js';
import { startGatewayMain, waitListening, type Child } from '../../support/processes.js';
import { FLEET_APP } from './emulator.js';

/** The admin key of every gateway of the suite (a test value, not a secret). */
export const FLEET_ADMIN_KEY = 'fleet-suite-admin-key-0123456789abcdef';
/** The key the client load sends: `userInfo` is a service field (README, "Access"). */
export const FLEET_SERVICE_KEY = 'fleet-suite-service-key-0123456789abcdef';

/** How long a gateway may take to start (tsx compiles on the fly; CI machines are slow). */
export const GATEWAY_START_TIMEOUT_MS = 30_000;

export interface GatewaySettings {
  readonly name: string;
  readonly emulatorUrl: string;
  readonly mode: TokenMode;
  /** TOKEN_STORE: `redis://…`, `file:<path>` or `memory`. */
  readonly store: string;
  /** TOKEN_REFRESH_AHEAD_SECONDS, unset: the default. */
  readonly refreshAheadSeconds?: number;
}

export interface GatewayProcess {
  readonly name: string;
  readonly process: Child;
  /** Resolves with the GraphQL endpoint once the gateway logged that it listens. */
  readonly ready: Promise<string>;
  /** The GraphQL endpoint; throws before `ready`. */
  endpoint(): string;
  /** `tokenStatus { tokenFingerprint }` (admin): the token this instance holds, null for none. */
  fingerprint(): Promise<string | null>;
  /** `refreshAccessToken(force: …)` (admin); resolves with the GraphQL errors' codes, if any. */
  refreshAccessToken(force: boolean): Promise<string[]>;
  stop(): Promise<void>;
}

async function adminQuery(endpoint: string, query: string): Promise<Record<string, unknown>> {
  const res = await request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FLEET_ADMIN_KEY}` },
    body: JSON.stringify({ query }),
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  const text = await res.body.text();
  const parsed: unknown = JSON.parse(text);
  if (res.statusCode !== 200 || typeof parsed !== 'object' || parsed === null) {
    throw new Error(`admin query answered ${res.statusCode}: ${text.slice(0, 300)}`);
  }
  return Object.fromEntries(Object.entries(parsed));
}

function errorCodes(body: Record<string, unknown>): string[] {
  const errors = body.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((error: unknown) => {
    const code = JSON.stringify(error).match(/"code":"([A-Z_]+)"/)?.[1];
    return code ?? 'NO_CODE';
  });
}

export function startGateway(settings: GatewaySettings): GatewayProcess {
  const child = startGatewayMain(
    {
      NODE_ENV: 'production',
      // The suite counts a cold fleet's first token call under load; the start-up check would
      // make that call before the load (test/e2e/production-build.test.ts covers the check).
      CHECK_CREDENTIALS_AT_START: 'false',
      WECHAT_APP_ID: FLEET_APP.appId,
      WECHAT_APP_SECRET: FLEET_APP.appSecret,
      WECHAT_API_BASE_URL: settings.emulatorUrl,
      WECHAT_TOKEN_MODE: settings.mode,
      TOKEN_STORE: settings.store,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_API_KEY: FLEET_ADMIN_KEY,
      SERVICE_API_KEYS: FLEET_SERVICE_KEY,
      LOG_LEVEL: 'info',
      // No load balancer watches /readyz here: stop without the drain delay.
      SHUTDOWN_DELAY_MS: '0',
      ...(settings.refreshAheadSeconds === undefined
        ? {}
        : { TOKEN_REFRESH_AHEAD_SECONDS: String(settings.refreshAheadSeconds) }),
    },
    {
      name: settings.name,
      keepLines: 200,
      // One per request (README "Logs"): under load they would push every other line out.
      unkept: /"msg":"access"/,
      killAfterMs: 3_000,
    },
  );
  let endpoint: string | undefined;
  const ready = waitListening(child, GATEWAY_START_TIMEOUT_MS).then(({ url }) => {
    endpoint = url;
    return endpoint;
  });
  // Awaited by whoever needs the gateway; this keeps an early exit from being unhandled.
  ready.catch(() => undefined);
  const requireEndpoint = (): string => {
    if (endpoint === undefined) throw new Error(`${settings.name} is not listening`);
    return endpoint;
  };
  return {
    name: settings.name,
    process: child,
    ready,
    endpoint: requireEndpoint,
    async fingerprint() {
      const body = await adminQuery(requireEndpoint(), '{ tokenStatus { tokenFingerprint } }');
      const match = JSON.stringify(body.data ?? null).match(/"tokenFingerprint":(null|"[^"]*")/);
      if (!match?.[1]) {
        throw new Error(`${settings.name}: tokenStatus failed: ${JSON.stringify(body)}`);
      }
      return match[1] === 'null' ? null : match[1].slice(1, -1);
    },
    async refreshAccessToken(force) {
      const body = await adminQuery(
        requireEndpoint(),
        `mutation { refreshAccessToken(force: ${force}) { expiresAt } }`,
      );
      return errorCodes(body);
    },
    async stop() {
      await child.stop();
    },
  };
}

/**
 * Whether every gateway's token store answers, as its `/readyz` reports it. Counting Redis clients
 * is not enough: each gateway also opens connections for its event log.
 */
export async function allReachStore(gateways: readonly GatewayProcess[]): Promise<boolean> {
  const states = await Promise.all(
    gateways.map(async (gateway) => {
      const res = await request(new URL('/readyz', gateway.endpoint()));
      const body = (await res.body.json()) as { tokenStore?: { reachable?: boolean } };
      return body.tokenStore?.reachable === true;
    }),
  );
  return states.every(Boolean);
}
