/**
 * What a browser transfers for the GraphiQL page: the page (`Accept: text/html`, `Accept-Encoding:
 * gzip, br`) and every same-origin script, style, preload, module import and CSS url() it leads
 * to, counted as received on the wire (headers and still-compressed bodies). Then a second visit
 * as a browser makes it: what is fresh by Cache-Control is not asked again, what has a validator
 * is revalidated (If-None-Match / If-Modified-Since), the rest is fetched again.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { request } from 'undici';

export interface Resource {
  url: string;
  status: number;
  contentType: string;
  contentEncoding: string;
  cacheControl: string;
  validator: string;
  /** First visit: header and body bytes received. */
  bytes: number;
  /** Second visit: how the browser got it, and the bytes received again. */
  revisit: 'fresh in cache' | 'revalidated (304)' | 'fetched again';
  revisitBytes: number;
}

export interface GraphiqlTransfer {
  page: string;
  resources: Resource[];
  /** References the bench did not fetch (another origin: the bench never uses the internet). */
  external: string[];
  firstLoadBytes: number;
  secondLoadBytes: number;
}

/** A page that leads to more than this is reported as it is, not crawled further. */
const MAX_RESOURCES = 200;

const BROWSER = { 'accept-encoding': 'gzip, br', 'user-agent': 'Mozilla/5.0 (bench)' };

interface Fetched {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  wireBytes: number;
}

async function get(url: string, headers: Record<string, string>): Promise<Fetched> {
  const response = await request(url, { method: 'GET', headers: { ...BROWSER, ...headers } });
  const body = Buffer.from(await response.body.arrayBuffer());
  const flat: Record<string, string> = {};
  let headerBytes = `HTTP/1.1 ${response.statusCode} \r\n\r\n`.length;
  for (const [name, value] of Object.entries(response.headers)) {
    const values = Array.isArray(value) ? value : [value ?? ''];
    flat[name] = values.join(', ');
    for (const v of values) headerBytes += `${name}: ${v}\r\n`.length;
  }
  return { status: response.statusCode, headers: flat, body, wireBytes: headerBytes + body.length };
}

function decoded(fetched: Fetched): string {
  const encoding = fetched.headers['content-encoding'] ?? '';
  if (encoding === 'br') return brotliDecompressSync(fetched.body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(fetched.body).toString('utf8');
  if (encoding === 'deflate') return inflateSync(fetched.body).toString('utf8');
  return fetched.body.toString('utf8');
}

/** URLs a browser loads on first paint: scripts, styles, preloads, static and dynamic imports. */
function references(text: string, contentType: string): string[] {
  const found: string[] = [];
  const add = (pattern: RegExp) => {
    for (const match of text.matchAll(pattern)) if (match[1]) found.push(match[1]);
  };
  if (contentType.includes('html')) {
    add(/<script\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi);
    for (const [tag] of text.matchAll(/<link\b[^>]*>/gi)) {
      if (!/\brel\s*=\s*["']?(stylesheet|modulepreload|preload)\b/i.test(tag)) continue;
      const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
      if (href) found.push(href);
    }
  }
  if (contentType.includes('javascript')) {
    add(/\b(?:import|from)\s*\(?\s*["']((?:\.{1,2}\/|\/)[^"']+)["']/g);
  }
  if (contentType.includes('css')) add(/url\(\s*["']?((?!data:)[^"')]+)["']?\s*\)/g);
  return found;
}

/** How a browser treats the resource on the next visit. */
function revisitHeaders(resource: Fetched): Record<string, string> | 'fresh' {
  const cacheControl = (resource.headers['cache-control'] ?? '').toLowerCase();
  const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? '0');
  const fresh = maxAge > 0 || cacheControl.includes('immutable');
  if (fresh && !/no-cache|no-store/.test(cacheControl)) return 'fresh';
  if (cacheControl.includes('no-store')) return {};
  const headers: Record<string, string> = {};
  const etag = resource.headers['etag'];
  const lastModified = resource.headers['last-modified'];
  if (etag) headers['if-none-match'] = etag;
  if (lastModified) headers['if-modified-since'] = lastModified;
  return headers;
}

export async function measureGraphiql(page: string): Promise<GraphiqlTransfer> {
  const origin = new URL(page).origin;
  const queue = [page];
  const seen = new Set(queue);
  const external: string[] = [];
  const resources: Resource[] = [];
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    const accept = url === page ? 'text/html' : '*/*';
    const first = await get(url, { accept });
    // A reference read wrongly out of minified code may 404: listed with its status, not fatal.
    if (url === page && first.status !== 200) {
      throw new Error(`GraphiQL: ${url} answered ${first.status}`);
    }
    const contentType = first.headers['content-type'] ?? '';
    for (const reference of references(decoded(first), contentType)) {
      const target = new URL(reference, url);
      target.hash = '';
      if (target.origin !== origin) external.push(target.href);
      else if (!seen.has(target.href) && seen.size < MAX_RESOURCES) {
        seen.add(target.href);
        queue.push(target.href);
      }
    }
    const revisit = revisitHeaders(first);
    let again: Fetched | undefined;
    if (revisit !== 'fresh') again = await get(url, { accept, ...revisit });
    resources.push({
      url: url.slice(origin.length),
      status: first.status,
      contentType,
      contentEncoding: first.headers['content-encoding'] ?? 'none',
      cacheControl: first.headers['cache-control'] ?? 'none',
      validator: first.headers['etag']
        ? 'ETag'
        : first.headers['last-modified']
          ? 'Last-Modified'
          : 'none',
      bytes: first.wireBytes,
      revisit: !again
        ? 'fresh in cache'
        : again.status === 304
          ? 'revalidated (304)'
          : 'fetched again',
      revisitBytes: again?.wireBytes ?? 0,
    });
  }
  const sum = (pick: (r: Resource) => number) => resources.reduce((n, r) => n + pick(r), 0);
  return {
    page,
    resources,
    external: [...new Set(external)],
    firstLoadBytes: sum((r) => r.bytes),
    secondLoadBytes: sum((r) => r.revisitBytes),
  };
}
