/**
 * The H5 example as the sandbox serves it (examples/h5): the page with its configuration filled
 * in, its script bundled from source, the JS-SDK stand-in and the stand-in's signature check.
 * test/e2e/h5.test.ts runs it in a browser.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleH5 } from '../../src/sandbox/h5-bundle.js';
import { useGateway, type Gateway } from '../support/harness.js';

const BASE = 'http://gateway.test';

interface Init {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

function get(gw: Gateway, path: string, init?: Init) {
  return gw.yoga.fetch(`${BASE}${path}`, init ?? {});
}

function verify(gw: Gateway, body: unknown) {
  return get(gw, '/sandbox/jssdk/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface Signed {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

async function jsapiConfig(gw: Gateway, url: string): Promise<Signed> {
  const res = await gw.query<{ jsapiConfig: Signed }>(
    'query ($url: String!) { jsapiConfig(url: $url) { appId timestamp nonceStr signature } }',
    { as: 'anonymous', variables: { url } },
  );
  if (!res.body.data) throw new Error(res.text);
  return res.body.data.jsapiConfig;
}

describe('the H5 example in sandbox mode', () => {
  const fx = useGateway({ sandbox: true });

  it('serves the page configured for this sandbox: the gateway, the emulator’s authorize page, the official account', async () => {
    const res = await get(fx.gw, '/sandbox/h5/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await res.text();
    const config = /<script id="h5-config" type="application\/json">(.*?)<\/script>/s.exec(html);
    expect(JSON.parse(config?.[1] ?? 'null')).toEqual({
      graphqlUrl: '/graphql',
      authorizeUrl: `${fx.gw.emulator.url}/connect/oauth2/authorize`,
      appId: fx.gw.official.appId,
      app: 'official',
    });
    expect(html).toContain('<script src="jweixin.js"></script>');
    expect(html).toContain('<script type="module" src="main.js"></script>');
  });

  it('redirects /sandbox/h5 to the page, keeping the query', async () => {
    const res = await get(fx.gw, '/sandbox/h5?code=abc&state=x');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/sandbox/h5/?code=abc&state=x');
  });

  it('bundles the page’s script from source, the client included', async () => {
    const res = await get(fx.gw, '/sandbox/h5/main.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await res.text();
    expect(code).toContain('h5.session');
    expect(code).toContain('query Me($app: String)');
    expect(code).not.toMatch(/^import /m);
  });

  it('serves the JS-SDK stand-in, which checks signatures through the sandbox', async () => {
    const res = await get(fx.gw, '/sandbox/h5/jweixin.js');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toContain('"/sandbox/jssdk/verify"');
  });

  it('verifies wx.config as WeChat does: the gateway’s signature of this page passes, anything else fails', async () => {
    const page = 'http://gateway.test/sandbox/h5/?from=menu';
    const signed = await jsapiConfig(fx.gw, page);
    const ok = await verify(fx.gw, { ...signed, url: `${page}#top` });
    expect(await ok.json()).toEqual({ ok: true, errMsg: 'config:ok' });

    const otherPage = await verify(fx.gw, { ...signed, url: 'http://gateway.test/sandbox/h5/' });
    expect(await otherPage.json()).toEqual({
      ok: false,
      errMsg: 'config:invalid signature',
      reason: expect.stringContaining('does not match'),
    });
    const reversed = signed.signature.split('').reverse().join('');
    const wrong = await verify(fx.gw, { ...signed, signature: reversed, url: page });
    expect(await wrong.json()).toMatchObject({ ok: false, errMsg: 'config:invalid signature' });
  });

  it.each([
    ['not JSON', '{', 'the body is not valid JSON'],
    [
      'a missing signature',
      { appId: 'wx', timestamp: 1, nonceStr: 'n', url: 'http://x/' },
      'expected',
    ],
    [
      'a relative url',
      { appId: 'wx', timestamp: 1, nonceStr: 'n', signature: 's', url: '/p' },
      'expected',
    ],
  ])('answers 400 to a verification request with %s', async (_what, body, error) => {
    const res = await verify(fx.gw, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringContaining(error) });
  });

  it('answers 405 and 404 where nothing is served', async () => {
    expect((await get(fx.gw, '/sandbox/jssdk/verify')).status).toBe(405);
    expect((await get(fx.gw, '/sandbox/h5/', { method: 'POST' })).status).toBe(405);
    const missing = await get(fx.gw, '/sandbox/h5/other.js');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/sandbox/h5/');
  });

  it('is linked from GraphiQL’s notes', async () => {
    const res = await get(fx.gw, '/graphql', { headers: { accept: 'text/html' } });
    expect(await res.text()).toContain('http://gateway.test/sandbox/h5/');
  });
});

describe('the H5 example outside sandbox mode', () => {
  const fx = useGateway();

  it('is not served', async () => {
    for (const path of ['/sandbox/h5/', '/sandbox/h5/main.js', '/sandbox/h5/jweixin.js']) {
      expect((await get(fx.gw, path)).status, path).toBe(404);
    }
    expect((await verify(fx.gw, {})).status).toBe(404);
  });
});

describe('bundleH5', () => {
  it('reports where the source does not build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h5-bundle-'));
    try {
      const entry = join(dir, 'main.ts');
      await writeFile(entry, "import { nothing } from './missing.js';\nconsole.log(nothing);\n");
      const result = await bundleH5(entry);
      expect(result).toEqual({
        ok: false,
        message: expect.stringMatching(/main\.ts:1: Could not resolve "\.\/missing\.js"/),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
