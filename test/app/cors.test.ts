import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { useGateway, type Gateway } from '../support/harness.js';

const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example.net';

async function preflight(gw: Gateway, origin: string) {
  const res = await gw.yoga.fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  });
  return {
    allowOrigin: res.headers.get('access-control-allow-origin'),
    allowHeaders: res.headers.get('access-control-allow-headers') ?? '',
    allowCredentials: res.headers.get('access-control-allow-credentials'),
  };
}

async function postResponse(gw: Gateway, origin: string) {
  return gw.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

async function post(gw: Gateway, origin: string) {
  return (await postResponse(gw, origin)).headers.get('access-control-allow-origin');
}

describe('CORS by default (development, sandbox)', () => {
  const fx = useGateway();

  it('lets any origin call, but never with credentials (cookies)', async () => {
    const res = await postResponse(fx.gw, EVIL);
    expect(res.headers.get('access-control-allow-origin')).toBe(EVIL);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const pre = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CORS with an allowlist', () => {
  const fx = useGateway({ corsOrigins: [SHOP] });

  it('allows a listed origin, with the Authorization header for admin calls', async () => {
    const pre = await preflight(fx.gw, SHOP);
    expect(pre.allowCredentials).toBeNull();
    expect(pre.allowOrigin).toBe(SHOP);
    expect(pre.allowHeaders.toLowerCase()).toContain('authorization');
    expect(await post(fx.gw, SHOP)).toBe(SHOP);
  });

  it('gives any other origin no CORS grant', async () => {
    expect((await preflight(fx.gw, EVIL)).allowOrigin).not.toBe(EVIL);
    expect(await post(fx.gw, EVIL)).not.toBe(EVIL);
  });
});

describe('CORS with several origins listed', () => {
  const LOCAL = 'http://localhost:5173';
  const fx = useGateway({ corsOrigins: [SHOP, LOCAL] });

  it('echoes a listed origin, varying on it', async () => {
    for (const origin of [SHOP, LOCAL]) {
      const res = await postResponse(fx.gw, origin);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary') ?? '').toMatch(/\bOrigin\b/i);
      expect((await preflight(fx.gw, origin)).allowOrigin).toBe(origin);
    }
  });

  it('never answers "null" (which would grant sandboxed iframes and file: pages): no header at all', async () => {
    for (const origin of [EVIL, 'null', 'https://shop.example.com.evil.example.net']) {
      expect(await post(fx.gw, origin)).toBeNull();
      const pre = await preflight(fx.gw, origin);
      expect(pre.allowOrigin).toBeNull();
      expect(pre.allowHeaders).toBe('');
    }
  });
});

describe('CORS with one origin listed', () => {
  const fx = useGateway({ corsOrigins: [SHOP] });

  it('names no origin to any other origin (not even the listed one)', async () => {
    expect(await post(fx.gw, EVIL)).toBeNull();
    expect((await preflight(fx.gw, 'null')).allowOrigin).toBeNull();
  });
});

describe('CORS turned off', () => {
  const fx = useGateway({ corsOrigins: [] });

  it('grants no origin', async () => {
    expect(await post(fx.gw, SHOP)).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  it('defaults to any origin, and reads "none" and lists', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: `${SHOP}/, http://localhost:5173` }).corsOrigins).toEqual([
      SHOP,
      'http://localhost:5173',
    ]);
  });

  it('in production defaults to none and refuses "*": the origins must be listed', () => {
    const live = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'secret-value' };
    expect(loadConfig({ ...live, NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ ...live, NODE_ENV: 'production', CORS_ORIGINS: SHOP }).corsOrigins).toEqual(
      [SHOP],
    );
    expect(() => loadConfig({ ...live, NODE_ENV: 'production', CORS_ORIGINS: '*' })).toThrow(
      /CORS_ORIGINS: "\*" is not allowed with NODE_ENV=production/,
    );
    expect(loadConfig({ ...live, CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
  });

  it('names every entry that is not an origin', () => {
    expect(() =>
      loadConfig({ CORS_ORIGINS: `${SHOP},shop.example.com,https://x.com/path` }),
    ).toThrow(/CORS_ORIGINS: "shop.example.com", "https:\/\/x.com\/path" are not origins/);
  });
});
