import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminHeaders, codesOf, useGateway } from '../support/harness.js';
import { BATCHGET_API, STABLE_TOKEN_API } from '../support/wechat-api.js';

interface TokenData {
  accessToken: { value: string; expiresAt: string; fetchedAt: string; mode: string };
}

describe('admin fields with ADMIN_API_KEY configured', () => {
  const fx = useGateway();

  it.each([
    ['no header', {}],
    ['a wrong key', { authorization: 'Bearer wrong-key-wrong-key-wrong' }],
    ['another scheme', { authorization: `Basic ${ADMIN_KEY}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])(
    'rejects %s with UNAUTHENTICATED, HTTP 401, no data and no upstream call',
    async (_, headers) => {
      const res = await fx.gw.query('{ accessToken { value } }', { as: 'anonymous', headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="wechat-graphql-gateway"');
      expect(res.body).not.toHaveProperty('data');
      expect(codesOf(res.body)).toEqual(['UNAUTHENTICATED']);
      expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(0);
    },
  );

  it('rejects a whole operation that mixes admin and service fields for a service key', async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const res = await fx.gw.query(
      `{ userInfo(openid: "${openid}") { openid } tokenStatus { app } }`,
      { as: 'service' },
    );
    expect(res.status).toBe(403);
    expect(res.body).not.toHaveProperty('data');
    expect(codesOf(res.body)).toEqual(['FORBIDDEN']);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('finds admin fields hidden in fragments and mutations', async () => {
    const viaFragment = await fx.gw.query(
      '{ ...Admin } fragment Admin on Query { ... on Query { accessToken { value } } }',
      { as: 'anonymous' },
    );
    expect(viaFragment.status).toBe(401);
    const mutation = await fx.gw.query('mutation { refreshAccessToken { value } }', {
      as: 'anonymous',
    });
    expect(mutation.status).toBe(401);
    expect(codesOf(mutation.body)).toEqual(['UNAUTHENTICATED']);
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('gives the token to an admin', async () => {
    const res = await fx.gw.query<TokenData>('{ accessToken { value expiresAt fetchedAt mode } }', {
      headers: adminHeaders,
    });
    expect(res.status).toBe(200);
    const token = await fx.gw.official.tokens.getAccessToken();
    expect(res.body).toEqual({
      data: {
        accessToken: {
          value: token.value,
          expiresAt: new Date(token.expiresAt).toISOString(),
          fetchedAt: new Date(token.fetchedAt).toISOString(),
          mode: 'STABLE',
        },
      },
    });
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('accepts the scheme in any case and the mini program app', async () => {
    const res = await fx.gw.query<TokenData>('{ accessToken(app: "miniprogram") { mode } }', {
      headers: { authorization: `bearer ${ADMIN_KEY}` },
    });
    expect(res.body).toEqual({ data: { accessToken: { mode: 'STABLE' } } });
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API, fx.gw.mini.appId)).toBe(1);
  });

  it('shows the token status with a fingerprint, never the token', async () => {
    const token = await fx.gw.official.tokens.getAccessToken();
    const res = await fx.gw.query(
      `{ tokenStatus {
          app appId mode tokenFingerprint expiresAt fetchedAt lastRefreshReason
          quota { day tokenCalls { endpoint reason count } failures { errcode count } ticketCalls stale }
          breaker { open errcode reason until }
        } }`,
      { headers: adminHeaders },
    );
    expect(res.body).toEqual({
      data: {
        tokenStatus: {
          app: 'official',
          appId: fx.gw.official.appId,
          mode: 'STABLE',
          tokenFingerprint: expect.any(String),
          expiresAt: new Date(token.expiresAt).toISOString(),
          fetchedAt: new Date(token.fetchedAt).toISOString(),
          lastRefreshReason: 'COLD',
          quota: {
            day: '2026-01-15',
            tokenCalls: [{ endpoint: STABLE_TOKEN_API, reason: 'COLD', count: 1 }],
            failures: [],
            ticketCalls: 0,
            stale: false,
          },
          breaker: { open: false, errcode: null, reason: null, until: null },
        },
      },
    });
    expect(res.text).not.toContain(token.value);
  });

  it('refreshes the token on demand, forced or not', async () => {
    const before = await fx.gw.official.tokens.getAccessToken();
    const res = await fx.gw.query<{ refreshAccessToken: { value: string; mode: string } }>(
      'mutation { refreshAccessToken(force: true) { value mode } }',
      { headers: adminHeaders },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.refreshAccessToken.mode).toBe('STABLE');
    expect(res.body.data?.refreshAccessToken.value).not.toBe(before.value);
    expect((await fx.gw.official.tokens.getAccessToken()).value).toBe(
      res.body.data?.refreshAccessToken.value,
    );
  });

  it('refuses a second forced refresh within 30 s with RATE_LIMITED and retryAt', async () => {
    const force = 'mutation { refreshAccessToken(force: true) { value } }';
    await fx.gw.query(force, { headers: adminHeaders });
    fx.gw.clock.advance(10_000);
    const res = await fx.gw.query(force, { headers: adminHeaders });
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^WeChat allows 20 forced token refreshes a day/),
      extensions: { code: 'RATE_LIMITED', retryAt: expect.any(String) },
    });
    const retryAt = Date.parse(String(res.body.errors?.[0]?.extensions?.['retryAt']));
    expect(retryAt).toBeGreaterThan(fx.gw.clock.now());
    expect(retryAt).toBeLessThanOrEqual(fx.gw.clock.now() + 20_000);
  });

  it('closes an open breaker on demand, and the app works again', async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const lookup = `{ userInfo(openid: "${openid}") { openid } }`;
    fx.gw.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40125 });
    expect(codesOf((await fx.gw.query(lookup)).body)).toEqual(['UPSTREAM_MISCONFIGURED']);

    const res = await fx.gw.query(
      'mutation { resetTokenBreaker { app breaker { open errcode } } }',
      { headers: adminHeaders },
    );
    expect(res.body).toEqual({
      data: { resetTokenBreaker: { app: 'official', breaker: { open: false, errcode: null } } },
    });
    expect((await fx.gw.query(lookup)).body).toEqual({ data: { userInfo: { openid } } });
  });
});

describe('admin fields without ADMIN_API_KEY', () => {
  const fx = useGateway({ adminApiKey: null });

  it('are disabled (FORBIDDEN, HTTP 403) for every valid caller, anonymous included', async () => {
    for (const as of ['anonymous', 'service'] as const) {
      const res = await fx.gw.query('{ accessToken { value } }', { as });
      expect(res.status).toBe(403);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors?.[0]?.message).toBe(
        '"accessToken" is disabled: the server has no ADMIN_API_KEY.',
      );
    }
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('take a key the server does not have for what it is: an unknown credential', async () => {
    const res = await fx.gw.query('{ accessToken { value } }', { headers: adminHeaders });
    expect(res.status).toBe(401);
    expect(codesOf(res.body)).toEqual(['UNAUTHENTICATED']);
  });

  it('leave public fields working', async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const res = await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(res.body).toEqual({ data: { userInfo: { openid } } });
  });
});
