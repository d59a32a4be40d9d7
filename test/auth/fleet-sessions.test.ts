/**
 * Sessions across a fleet: two gateway processes share a real Redis (a namespace of this run).
 * A session opened on one works on the other, and its logout is refused there within 2 s; the
 * mini program session_key lives in Redis until the logout, wherever it happens. The processes
 * run on manual clocks that the test moves together with the emulator's, so "within 2 s" is
 * measured without sleeping.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { sessionStoreKeys } from '../../src/auth/store-keys.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { useGatewayPair } from '../support/gateway-pair.js';
import { connectTestRedis } from '../tokens/redis.js';
import { SECOND } from '../support/time.js';

const SERVICE_KEY = 'fleet-service-key-0123456789abcdef';
const SESSION_SECRET = 'fleet-session-secret-0123456789abcdef-0123';

const pair = useGatewayPair('fleet-sessions', {
  sessionSecret: SESSION_SECRET,
  serviceKey: SERVICE_KEY,
});

function tokenOf(res: { body: Record<string, unknown> }): string {
  const token = (res.body['data'] as { login?: { token?: unknown } } | undefined)?.login?.token;
  if (typeof token !== 'string') throw new Error(`no token: ${JSON.stringify(res.body)}`);
  return token;
}

describe('sessions across two gateway processes on one Redis', () => {
  it('work on the other process, and a logout is refused there within 2 s', async () => {
    const { a, b, emulator, advance } = await pair();
    const openid = emulator.followerOpenids(OFFICIAL.appId)[0] ?? '';
    const { code } = emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_base', openid });
    const token = tokenOf(await a.post(`mutation { login(code: "${code}") { token } }`));

    const onB = await b.post('{ me { openid } }', token);
    expect(onB).toEqual({ status: 200, body: { data: { me: { openid } } } });

    expect((await a.post('mutation { logout }', token)).body).toEqual({ data: { logout: true } });
    expect((await a.post('{ me { openid } }', token)).status).toBe(401);
    // B checked the session a moment ago and does not ask Redis again on every request; once
    // its reading is a second old it asks, and refuses: well within 2 s.
    expect((await b.post('{ me { openid } }', token)).status).toBe(200);
    await advance(SECOND);
    expect((await b.post('{ me { openid } }', token)).status).toBe(401);
  });

  it('keep the mini program session_key in Redis until a logout on any process', async () => {
    const { a, b, emulator, namespace } = await pair();
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
