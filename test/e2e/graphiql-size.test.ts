/**
 * GraphiQL's weight, against a real gateway process (sandbox mode, GraphiQL on): what a browser
 * transfers on a visit right after the gateway starts listening, on a first visit and on the next
 * one (GraphiQL's schema query included), what the files say about caching, and what 100
 * visitors loading the page at once cost the gateway in memory. Chromium reaches the gateway
 * through a loopback proxy that counts the bytes the gateway sends (headers and bodies, workers'
 * scripts and the schema query included).
 */
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import {
  fetchRaw,
  pageReferences,
  styleReferences,
  type Fetched,
} from '../support/graphiql-files.js';
import { startGatewayMain, waitListening, type Child } from '../support/processes.js';

const MB = 1_000_000;
/** The most a visit may transfer (issue 19). */
const FIRST_VISIT_LIMIT = 1.5 * MB;

let gateway: Child | undefined;
let browser: Browser | undefined;
let proxy: CountingProxy | undefined;
let url = '';
let pid = 0;

/** A loopback TCP proxy to the gateway, counting the bytes the gateway sends through it. */
interface CountingProxy {
  /** The GraphQL URL through the proxy. */
  readonly url: string;
  /** Bytes from the gateway since the last call. */
  take(): number;
  /** Milliseconds since the gateway last sent a byte. */
  idleMs(): number;
  close(): Promise<void>;
}

async function startCountingProxy(target: URL): Promise<CountingProxy> {
  let received = 0;
  let lastData = Date.now();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      lastData = Date.now();
    });
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    take() {
      const taken = received;
      received = 0;
      return taken;
    },
    idleMs: () => Date.now() - lastData,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The files the page references (script, style sheet, icon, workers), without #fragments. */
async function referencedFiles(): Promise<string[]> {
  const page = await fetchRaw(url, { 'accept-encoding': 'identity' });
  const origin = new URL(url).origin;
  const files = pageReferences(page.bytes.toString('utf8'), origin).map(
    (file) => file.split('#')[0] ?? '',
  );
  return [...new Set(files)];
}

/** Waits (up to 90 s) until every script and style sheet is offered with brotli. */
async function untilCompressed(): Promise<void> {
  const files = await referencedFiles();
  for (let tries = 0; tries < 450; tries++) {
    const offered = await Promise.all(
      files.filter((file) => /\.(js|css)$/.test(file)).map((file) => fetchRaw(file)),
    );
    if (offered.every((file) => file.headers['content-encoding'] === 'br')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('GraphiQL files not compressed within 90 s');
}

beforeAll(async () => {
  // The browser first: the visit right after start begins as soon as the gateway listens.
  browser = await launchChromium();
  gateway = startGatewayMain({ PORT: '0', LOG_FORMAT: 'json', SHUTDOWN_DELAY_MS: '0' });
  ({ url, pid } = await waitListening(gateway, 90_000));
  proxy = await startCountingProxy(new URL(url));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await gateway?.stop('SIGKILL');
});

/** The style sheet's fonts (none without a style sheet). */
async function fontFiles(files: readonly string[]): Promise<string[]> {
  const sheet = files.find((file) => file.endsWith('.css'));
  if (sheet === undefined) return [];
  return styleReferences(decoded(await fetchRaw(sheet)).toString('utf8'), new URL(url).origin);
}

function decoded(file: Fetched): Buffer {
  const encoding = file.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(file.bytes);
  if (encoding === 'gzip') return gunzipSync(file.bytes);
  return file.bytes;
}

/** GraphiQL's schema query, as the page sends it (a GET the browser may keep). */
function isSchemaQuery(target: string): boolean {
  return new URL(target).searchParams.get('operationName') === 'IntrospectionQuery';
}

/**
 * Opens GraphiQL (through the proxy) and waits until it has drawn its editors, loaded its schema
 * and the fonts they show (Monaco's icon font, once its folding marks show, last), and the
 * gateway has sent nothing for a second and a half with no request on its way: a file still on
 * its way when the next visit begins would be fetched again then. Monaco's workers are left out
 * of the requests on their way: it starts and stops them as it likes (their file from the cache
 * after the first), and one stopped while starting never reports its request done. Returns the
 * bytes the gateway sent meanwhile.
 */
async function visit(page: Page, timeout = 15_000): Promise<number> {
  proxy?.take();
  const inFlight = new Set<Request>();
  const tracked = (request: Request) => !/\/workers\.[\w-]+\.js/.test(request.url());
  const done = (request: Request) => inFlight.delete(request);
  page.on('request', (request) => {
    if (tracked(request)) inFlight.add(request);
  });
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  const schema = page.waitForResponse((response) => isSchemaQuery(response.url()), { timeout });
  await page.goto(proxy?.url ?? '');
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout });
  // 200, or 304 once the browser holds it.
  expect([200, 304]).toContain((await schema).status());
  await page.waitForFunction(
    () =>
      document.fonts.status === 'loaded' &&
      (document.querySelector('.codicon') === null ||
        [...document.fonts].some((face) => face.family === 'codicon' && face.status === 'loaded')),
    undefined,
    { timeout },
  );
  await expect
    .poll(() => inFlight.size === 0 && (proxy?.idleMs() ?? 0) > 1_500, { timeout })
    .toBe(true);
  page.removeAllListeners('request');
  page.removeAllListeners('requestfinished');
  page.removeAllListeners('requestfailed');
  return proxy?.take() ?? 0;
}

/** VmRSS of a process, in bytes. */
function rss(processId: number): number {
  const status = readFileSync(`/proc/${processId}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${processId}`);
  return Number(kb) * 1024;
}

/** A URL's path and query: the same file through the proxy or not. */
const local = (target: string) => {
  const parsed = new URL(target);
  return `${parsed.pathname}${parsed.search}`;
};

describe('GraphiQL page weight (real gateway process)', () => {
  it('transfers at most 1.5 MB on a visit right after the gateway starts listening', async () => {
    const context = await browser?.newContext({ viewport: { width: 1400, height: 900 } });
    if (!context) throw new Error('no browser');
    try {
      // Generous timeouts: the gateway builds GraphiQL's files on this first visit.
      const transferred = await visit(await context.newPage(), 90_000);
      console.info(`GraphiQL visit right after start: ${transferred} bytes`);
      expect(transferred).toBeLessThanOrEqual(FIRST_VISIT_LIMIT);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('transfers at most 1.5 MB on a first visit in Chromium, and only the page and a 304 for the schema on the next', async () => {
    await untilCompressed();
    const context = await browser?.newContext({ viewport: { width: 1400, height: 900 } });
    if (!context) throw new Error('no browser');
    try {
      const requested: string[] = [];
      context.on('request', (request) => {
        const target = request.url();
        // blob: and data: URLs are made in the browser, not transferred.
        if (request.method() === 'GET' && target.startsWith('http')) {
          requested.push(local(target.split('#')[0] ?? ''));
        }
      });
      const page = await context.newPage();
      const firstVisit = await visit(page);
      console.info(`GraphiQL first visit: ${firstVisit} bytes`);
      expect(firstVisit).toBeLessThanOrEqual(FIRST_VISIT_LIMIT);
      const firstRequested = new Set(requested);
      // The page, every file it references, some of the fonts (those of the faces shown) and
      // the schema query, as a GET (a POST would not be kept by the browser).
      const fonts = requested.filter((file) => /\/font\./.test(file));
      expect(fonts.length).toBeGreaterThan(0);
      const schemaQueries = requested.filter((file) => isSchemaQuery(`http://x${file}`));
      expect(schemaQueries).toHaveLength(1);
      const files = (await referencedFiles()).map(local);
      expect(firstRequested).toEqual(new Set([local(url), ...files, ...fonts, ...schemaQueries]));

      // The next visit: the files come from the browser's cache (immutable URLs), the schema
      // is revalidated (304), the page (made for each load) comes again.
      const sizes: { url: string; bytes: number }[] = [];
      const pending: Promise<void>[] = [];
      context.on('requestfinished', (request) => {
        if (request.method() !== 'GET') return;
        pending.push(
          request.sizes().then((size) => {
            sizes.push({
              url: local(request.url().split('#')[0] ?? ''),
              bytes: size.responseBodySize + size.responseHeadersSize,
            });
          }),
        );
      });
      const secondVisit = await visit(page);
      await Promise.all(pending);
      console.info(`GraphiQL second visit: ${secondVisit} bytes`);
      const cached = sizes.filter(
        (size) => size.url !== local(url) && !isSchemaQuery(`http://x${size.url}`),
      );
      expect(cached.length).toBeGreaterThan(3);
      expect(cached.filter((size) => size.bytes > 0)).toEqual([]);
      expect(sizes.filter((size) => size.url === local(url)).length).toBe(1);
      expect(sizes.filter((size) => isSchemaQuery(`http://x${size.url}`)).length).toBe(1);
      // The page (a few kilobytes) and a 304 for the schema: no 13 kB answer again.
      expect(secondVisit).toBeLessThan(10_000);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('names files after their content, marks them immutable and answers validators with 304', async () => {
    const files = await referencedFiles();
    expect(files.filter((file) => /\.(js|css)$/.test(file)).length).toBeGreaterThan(1);
    for (const file of [...files, ...(await fontFiles(files))]) {
      const [br, gzip, identity] = await Promise.all([
        fetchRaw(file),
        fetchRaw(file, { 'accept-encoding': 'gzip' }),
        fetchRaw(file, { 'accept-encoding': 'identity' }),
      ]);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers['vary']).toBe('Accept-Encoding');
      // Buffer.equals: a deep comparison of megabytes would take a minute.
      expect(decoded(br).equals(identity.bytes)).toBe(true);
      expect(decoded(gzip).equals(identity.bytes)).toBe(true);
      expect(identity.headers['content-length']).toBe(String(identity.bytes.length));
      expect(identity.headers['content-encoding']).toBeUndefined();
      const etag = String(br.headers['etag']);
      const again = await fetchRaw(file, { 'if-none-match': etag });
      expect({ file, status: again.status, bytes: again.bytes.length }).toEqual({
        file,
        status: 304,
        bytes: 0,
      });
    }
    // The sandbox page carries codes made for one load and the throw-away keys: stored nowhere.
    const page = await fetchRaw(url);
    expect(page.headers['cache-control']).toBe('no-store, private');
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.bytes.length).toBeLessThan(10_000);
    const unknown = await fetchRaw(`${new URL(url).origin}/graphiql/graphiql.0000000000000000.js`);
    expect(unknown.status).toBe(404);
  }, 30_000);

  it('serves 100 visitors loading GraphiQL at once with less than 100 MB more memory', async () => {
    const files = await referencedFiles();
    const fonts = await fontFiles(files);
    /**
     * One visitor: the page, then every file it references and every font, six at a time as a
     * browser fetches them over HTTP/1.1 (six connections to a host).
     */
    const visitor = async (): Promise<number> => {
      const page = await fetchRaw(url);
      const pending = [...files, ...fonts];
      let sent = page.bytes.length;
      const connection = async () => {
        for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
          const { bytes } = await fetchRaw(file);
          sent += bytes.length;
        }
      };
      await Promise.all(Array.from({ length: 6 }, connection));
      return sent;
    };
    await visitor();
    const before = rss(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss(pid));
    }, 20);
    try {
      const sent = await Promise.all(Array.from({ length: 100 }, visitor)).catch((error) => {
        throw new Error(`${String(error)}\ngateway:\n${gateway?.summary().join('\n')}`);
      });
      expect(sent.every((bytes) => bytes > MB)).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rss(pid));
    console.info(`100 GraphiQL visits: RSS ${before} → peak ${peak} bytes`);
    expect(peak - before).toBeLessThan(100 * MB);
  }, 120_000);
});
