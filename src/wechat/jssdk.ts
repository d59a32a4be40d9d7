import { createHash } from 'node:crypto';

export interface JsapiSignInput {
  ticket: string;
  nonceStr: string;
  /** Unix seconds, as `wx.config` expects. */
  timestamp: number;
  /** The page URL as returned by normalizeSignUrl. */
  url: string;
}

/**
 * JS-SDK signature (wechat-api.md §8.2): fields sorted by name in ASCII order, joined as `k=v`
 * with `&`, raw values (no URL-encoding), lowercase hex SHA-1.
 */
export function signJsapi({ ticket, nonceStr, timestamp, url }: JsapiSignInput): string {
  const string1 = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
  return createHash('sha1').update(string1).digest('hex');
}

/**
 * The URL to sign: what the page's `location.href.split('#')[0]` is in WeChat's browser, which is
 * what WeChat checks the signature against. Absolute http(s) only; the fragment is dropped. The
 * URL is serialized the way a browser does (lowercase host, `/` for an empty path, default port
 * dropped, non-ASCII percent-encoded), so `https://Shop.example.com` signs as
 * `https://shop.example.com/`; an already-encoded query is kept as it is.
 */
export function normalizeSignUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new RangeError('url must be an absolute http(s) URL, e.g. https://example.com/page?x=1');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`url must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  parsed.hash = '';
  return parsed.href;
}
