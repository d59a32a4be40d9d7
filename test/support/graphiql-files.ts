/**
 * The GraphiQL page as a client meets it: the page and the files it references (script, style
 * sheet, icon, Monaco's workers, the style sheet's fonts), fetched as a browser would, with the
 * bytes that crossed the wire (still compressed) counted.
 */
import { request } from 'undici';

export const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';

export interface Fetched {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent, before any decoding. */
  bytes: Buffer;
  /** Bytes on the wire: the body and the header lines. */
  transferred: number;
}

export async function fetchRaw(
  url: string,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  const res = await request(url, {
    headers: { accept: 'text/html', 'accept-encoding': BROWSER_ENCODINGS, ...headers },
    // A connection per request: no reuse of a keep-alive socket the gateway is closing.
    reset: true,
  });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const headerLines = Object.entries(res.headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value ?? '']).map((item) => `${name}: ${item}\r\n`),
  );
  const head = `HTTP/1.1 ${res.statusCode}\r\n${headerLines.join('')}\r\n`;
  return {
    url,
    status: res.statusCode,
    headers: res.headers,
    bytes,
    transferred: Buffer.byteLength(head) + bytes.length,
  };
}

/** The files the page references: script, style sheet, icon and workers. */
export function pageReferences(html: string, origin: string): string[] {
  const references = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );
  const workers = /const workers = (\{.*?\});/.exec(html)?.[1];
  const workerUrls = workers ? Object.values(JSON.parse(workers) as Record<string, string>) : [];
  return [...references, ...workerUrls]
    .filter((path) => !path.startsWith('data:'))
    .map((path) => new URL(path, origin).href);
}

/** The files a style sheet references (its fonts). */
export function styleReferences(css: string, origin: string): string[] {
  const urls = [...css.matchAll(/url\((["']?)([^"')]+)\1\)/g)].map((match) => match[2] ?? '');
  return [...new Set(urls.filter((url) => !url.startsWith('data:')))].map(
    (path) => new URL(path, origin).href,
  );
}
