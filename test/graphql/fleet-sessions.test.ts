/**
 * Sessions across a fleet: two gateway processes share a real Redis (a namespace of this run).
 * A session opened on one works on the other, and its logout is refused there within 2 s of
 * real time; the mini program session_key lives in Redis until the logout, wherever it happens.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStoreKeys } from '../../src/auth/store-keys.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { appConfig, MINI, OFFICIAL } from '../support/apps.js';
import { connectTestRedis, REDIS_URL, useRedisNamespaces } from '../tokens/redis.js';
import type { GatewayProcessConfig, GatewayProcessReply } from './fixtures/gateway-process.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/gateway-process.ts', import.meta.url));
const SERVICE_KEY = 'fleet-service-key-0123456789';
const SESSION_SECRET = 'fleet-session-secret-0123456789abcdef-0123';

interface GatewayProcess {
  readonly url: string;
  post(query: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function startGatewayProcess(config: GatewayProcessConfig): Promise<GatewayProcess> {
  const child: ChildProcess = fork(FIXTURE, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WGG_GATEWAY_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway process exited (${code})`)));
    child.on('message', (message: GatewayProcessReply) => {
      if (message.type === 'ready') resolve(message.url);
      else reject(new Error(`gateway process failed: ${message.message}`));
    });
  });
  return {
    url,
    async post(query, token) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

const redis = useRedisNamespaces();
const namespace = redis.create('fleet-sessions');
let emulator: Emulator;
let fleet: GatewayProcess[] = [];
/** Started once, awaited by each test: a missing Redis fails the tests instead of skipping them. */
let started: Promise<void>;

beforeAll(() => {
  started = (async () => {
    emulator = await createEmulator();
    const config: GatewayProcessConfig = {
      redisUrl: REDIS_URL,
      namespace,
      emulatorUrl: emulator.url,
      apps: [appConfig(OFFICIAL), appConfig(MINI)],
      sessionSecret: SESSION_SECRET,
      serviceKey: SERVICE_KEY,
    };
    fleet = await Promise.all([startGatewayProcess(config), startGatewayProcess(config)]);
  })();
  started.catch(() => undefined);
});

afterAll(async () => {
  await Promise.all(fleet.map((gateway) => gateway.close()));
  await emulator?.close();
});

function tokenOf(res: { body: Record<string, unknown> }): string {
  const token = (res.body['data'] as { login?: { token?: unknown } } | undefined)?.login?.token;
  if (typeof token !== 'string') throw new Error(`no token: ${JSON.stringify(res.body)}`);
  return token;
}

describe('sessions across two gateway processes on one Redis', () => {
  it('work on the other process, and a logout is refused there within 2 s', async () => {
    await started;
    const [a, b] = fleet;
    if (!a || !b) throw new Error('the fleet did not start');
    const openid = emulator.followerOpenids(OFFICIAL.appId)[0] ?? '';
    const { code } = emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base', openid });
    const token = tokenOf(await a.post(`mutation { login(code: "${code}") { token } }`));

    const onB = await b.post('{ me { openid } }', token);
    expect(onB).toEqual({ status: 200, body: { data: { me: { openid } } } });
    // B now remembers the session as live: the logout must still reach it.
    expect((await b.post('{ me { openid } }', token)).status).toBe(200);

    expect((await a.post('mutation { logout }', token)).body).toEqual({ data: { logout: true } });
    const loggedOutAt = Date.now();
    expect((await a.post('{ me { openid } }', token)).status).toBe(401);
    let status = 200;
    while (status === 200 && Date.now() - loggedOutAt < 3000) {
      status = (await b.post('{ me { openid } }', token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
    expect(Date.now() - loggedOutAt).toBeLessThan(2000);
  });

  it('keep the mini program session_key in Redis until a logout on any process', async () => {
    await started;
    const [a, b] = fleet;
    if (!a || !b) throw new Error('the fleet did not start');
    const { code } = emulator.mintJsCode(MINI.appId);
    const login = await b.post(`mutation { login(code: "${code}", app: "miniprogram") { token } }`);
    const token = tokenOf(login);
    const key = `${namespace}:${sessionStoreKeys(String(decodeJwt(token).jti)).sessionKey}`;
    const client = await connectTestRedis();
    try {
      const stored = JSON.parse((await client.get(key)) ?? '{}') as { sessionKey?: string };
      expect(stored.sessionKey).toEqual(expect.any(String));
      expect(JSON.stringify(login.body)).not.toContain(stored.sessionKey);
      expect((await a.post('mutation { logout }', token)).status).toBe(200);
      expect(await client.get(key)).toBeNull();
    } finally {
      await client.close();
    }
  });
});
