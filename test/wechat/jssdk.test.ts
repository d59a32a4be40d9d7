import { describe, expect, it } from 'vitest';
import { normalizeSignUrl, signJsapi } from '../../src/wechat/jssdk.js';

// Official vectors, wechat-api.md §8.3.
const ticket =
  'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
const nonceStr = 'Wm3WZYTPz0wzccnW';
const timestamp = 1414587457;

describe('signJsapi', () => {
  it('matches the current official vector (URL with a query string)', () => {
    const url = 'http://mp.weixin.qq.com?params=value';
    expect(signJsapi({ ticket, nonceStr, timestamp, url })).toBe(
      '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    );
  });

  it('matches the older official vector (bare host)', () => {
    const url = 'http://mp.weixin.qq.com';
    expect(signJsapi({ ticket, nonceStr, timestamp, url })).toBe(
      'f4d90daf4b3bca3078ab155816175ba34c443a7b',
    );
  });

  it('changes when any input changes', () => {
    const base = { ticket, nonceStr, timestamp, url: 'https://example.com/a' };
    const sig = signJsapi(base);
    expect(signJsapi({ ...base, nonceStr: 'x' })).not.toBe(sig);
    expect(signJsapi({ ...base, timestamp: timestamp + 1 })).not.toBe(sig);
    expect(signJsapi({ ...base, url: 'https://example.com/b' })).not.toBe(sig);
    expect(signJsapi({ ...base, ticket: 'other' })).not.toBe(sig);
  });
});

describe('normalizeSignUrl', () => {
  it('drops the fragment and keeps an encoded query exactly as sent', () => {
    expect(normalizeSignUrl('https://example.com/p?a=1&b=%E4%B8%AD#/route?x=1')).toBe(
      'https://example.com/p?a=1&b=%E4%B8%AD',
    );
  });

  it("serializes the URL as the browser's location.href does", () => {
    expect(normalizeSignUrl('http://mp.weixin.qq.com?params=value')).toBe(
      'http://mp.weixin.qq.com/?params=value',
    );
    expect(normalizeSignUrl('https://Shop.Example.com:443')).toBe('https://shop.example.com/');
    expect(normalizeSignUrl(' https://example.com/商品?q=中#x ')).toBe(
      'https://example.com/%E5%95%86%E5%93%81?q=%E4%B8%AD',
    );
  });

  it('keeps a URL that is already in browser form unchanged', () => {
    const url = 'https://example.com/a/b?x=1&y=2';
    expect(normalizeSignUrl(url)).toBe(url);
  });

  it.each(['/relative/path', 'example.com/page', '', 'not a url'])(
    'rejects %j as not absolute',
    (url) => {
      expect(() => normalizeSignUrl(url)).toThrow(/absolute http\(s\) URL/);
    },
  );

  it.each(['ftp://example.com/', 'javascript:alert(1)', 'file:///etc/passwd'])(
    'rejects %j as not http(s)',
    (url) => {
      expect(() => normalizeSignUrl(url)).toThrow(/http or https/);
    },
  );
});
