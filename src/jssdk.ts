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
 * The URL WeChat's browser signs with: absolute http(s), query kept, fragment dropped. The URL
 * is otherwise kept as the client sent it (WeChat compares it with `location.href.split('#')[0]`),
 * so it is not re-serialized; `new URL` only validates it.
 */
export function normalizeSignUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new RangeError('url must be an absolute http(s) URL, e.g. https://example.com/page?x=1');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`url must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  const hash = trimmed.indexOf('#');
  return hash === -1 ? trimmed : trimmed.slice(0, hash);
}
