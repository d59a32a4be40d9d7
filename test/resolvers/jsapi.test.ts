import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codesOf, useGateway } from '../support/harness.js';
import { TICKET_API } from '../support/wechat-api.js';

interface Config {
  jsapiConfig: {
    appId: string;
    timestamp: number;
    nonceStr: string;
    signature: string;
    url: string;
  };
}

const QUERY = `query ($url: String!, $app: String) {
  jsapiConfig(url: $url, app: $app) { appId timestamp nonceStr signature url }
}`;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('jsapiConfig', () => {
  const fx = useGateway();

  it('signs the URL without its fragment with the cached ticket, verifiably', async () => {
    const res = await fx.gw.query<Config>(QUERY, {
      variables: { url: 'https://shop.example.com/item?id=7&from=menu#reviews' },
    });
    expect(res.body.errors).toBeUndefined();
    const config = res.body.data?.jsapiConfig;
    const ticket = await fx.gw.official.tokens.getJsapiTicket();
    expect(config).toEqual({
      appId: fx.gw.official.appId,
      timestamp: Math.floor(fx.gw.clock.now() / 1000),
      nonceStr: expect.stringMatching(/^[0-9a-f]{16}$/),
      url: 'https://shop.example.com/item?id=7&from=menu',
      signature: sha1(
        `jsapi_ticket=${ticket.value}&noncestr=${config?.nonceStr}` +
          `&timestamp=${config?.timestamp}&url=https://shop.example.com/item?id=7&from=menu`,
      ),
    });
    expect(res.text).not.toContain(ticket.value);
  });

  it('uses a fresh nonce and timestamp per call and fetches the ticket once', async () => {
    const url = 'https://shop.example.com/';
    const first = await fx.gw.query<Config>(QUERY, { variables: { url } });
    fx.gw.clock.advance(5_000);
    const second = await fx.gw.query<Config>(QUERY, { variables: { url } });
    const [a, b] = [first.body.data?.jsapiConfig, second.body.data?.jsapiConfig];
    expect(a?.nonceStr).not.toBe(b?.nonceStr);
    expect((b?.timestamp ?? 0) - (a?.timestamp ?? 0)).toBe(5);
    expect(a?.signature).not.toBe(b?.signature);
    expect(fx.gw.emulator.calls(TICKET_API)).toBe(1);
  });

  it.each(['ftp://shop.example.com/', 'shop.example.com/page', '/relative/page', ''])(
    'rejects %j with BAD_USER_INPUT',
    async (url) => {
      const res = await fx.gw.query(QUERY, { variables: { url } });
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors?.[0]?.message).toMatch(/^url must /);
      expect(fx.gw.emulator.calls(TICKET_API)).toBe(0);
    },
  );

  it('refuses a mini program with a clear message', async () => {
    const res = await fx.gw.query(QUERY, {
      variables: { url: 'https://shop.example.com/', app: 'miniprogram' },
    });
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      '"jsapiConfig" needs an official account, but app "miniprogram" is a mini program.',
    );
  });
});

describe('jsapiConfig with JSSDK_ALLOWED_HOSTS', () => {
  const fx = useGateway({ access: { jssdkAllowedHosts: ['shop.example.com', 'example.org'] } });

  it.each([
    'https://shop.example.com/item?id=7',
    'https://m.shop.example.com/',
    'http://SHOP.example.com:8080/a',
    'https://example.org/',
  ])('signs a page on a listed host or its subdomain: %s', async (url) => {
    const res = await fx.gw.query<Config>(QUERY, { variables: { url }, as: 'anonymous' });
    expect(res.body.errors).toBeUndefined();
  });

  it.each([
    ['https://evil.example.net/', 'evil.example.net'],
    ['https://notshop.example.com/', 'notshop.example.com'],
    ['https://shop.example.com.evil.net/', 'shop.example.com.evil.net'],
    ['https://example.com/', 'example.com'],
  ])('refuses any other page: %s', async (url, host) => {
    const res = await fx.gw.query(QUERY, { variables: { url }, as: 'anonymous' });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: `jsapiConfig does not sign pages on "${host}": the host is not in JSSDK_ALLOWED_HOSTS.`,
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(fx.gw.emulator.calls(TICKET_API)).toBe(0);
  });
});

describe('jsapiConfig without JSSDK_ALLOWED_HOSTS (live mode)', () => {
  const fx = useGateway({ access: { jssdkAllowedHosts: undefined } });

  it('signs nothing and says what to set', async () => {
    const res = await fx.gw.query(QUERY, {
      variables: { url: 'https://shop.example.com/' },
      as: 'anonymous',
    });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          'jsapiConfig signs no page yet: set JSSDK_ALLOWED_HOSTS to the JS-SDK secure domains (JS接口安全域名) of the official account, e.g. JSSDK_ALLOWED_HOSTS=shop.example.com.',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(fx.gw.emulator.calls(TICKET_API)).toBe(0);
  });
});
