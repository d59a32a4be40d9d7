/**
 * GraphiQL's weight, against a real gateway process (sandbox mode, GraphiQL on): what a browser
 * transfers on a first visit and on the next one, what the files say about caching, and what 100
 * visitors loading the page at once cost the gateway in memory. The gateway compresses its files
 * once, in the background after start; the tests begin once it has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import {
  fetchRaw,
  pageReferences,
  styleReferences,
  type Fetched,
} from '../support/graphiql-files.js';
import {
  childEnv,
  REPO_ROOT,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = join(REPO_ROOT, 'src/main.ts');
const MB = 1_000_000;

let gateway: Child | undefined;
let url = '';
let pid = 0;

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
  gateway = startChild(process.execPath, ['--import', TSX, MAIN], {
    env: childEnv({ PORT: '0', LOG_FORMAT: 'json', SHUTDOWN_DELAY_MS: '0' }),
  });
  ({ url, pid } = await waitListening(gateway));
  await untilCompressed();
}, 120_000);

afterAll(async () => {
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

/**
 * Opens GraphiQL and waits until it has drawn its editors, loaded the fonts they show (Monaco's
 * icon font last) and finished every request it started: a file still on its way when the next
 * visit begins would be fetched again then.
 */
async function loaded(page: Page): Promise<void> {
  const inFlight = new Set<Request>();
  const done = (request: Request) => inFlight.delete(request);
  page.on('request', (request) => inFlight.add(request));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.goto(url);
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () =>
      document.fonts.status === 'loaded' &&
      [...document.fonts].some((face) => face.family === 'codicon' && face.status === 'loaded'),
    undefined,
    { timeout: 15_000 },
  );
  await expect.poll(() => inFlight.size, { timeout: 10_000 }).toBe(0);
  page.removeAllListeners('request');
  page.removeAllListeners('requestfinished');
  page.removeAllListeners('requestfailed');
}

/** VmRSS of a process, in bytes. */
function rss(processId: number): number {
  const status = readFileSync(`/proc/${processId}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${processId}`);
  return Number(kb) * 1024;
}

describe('GraphiQL page weight (real gateway process)', () => {
  it('transfers at most 1.5 MB on a first visit in Chromium, and only the page on the next', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const requested: string[] = [];
      context.on('request', (request) => {
        const target = request.url();
        // blob: and data: URLs are made in the browser, not transferred.
        if (request.method() === 'GET' && target.startsWith('http')) {
          requested.push(target.split('#')[0] ?? '');
        }
      });
      const page = await context.newPage();
      await loaded(page);
      const firstVisit = new Set(requested);

      // The next visit: the files come from the browser's cache (immutable URLs), not the wire.
      const sizes: { url: string; bytes: number }[] = [];
      const pending: Promise<void>[] = [];
      context.on('requestfinished', (request) => {
        if (request.method() !== 'GET') return;
        pending.push(
          request.sizes().then((size) => {
            sizes.push({
              url: request.url().split('#')[0] ?? '',
              bytes: size.responseBodySize + size.responseHeadersSize,
            });
          }),
        );
      });
      await loaded(page);
      await Promise.all(pending);
      const cached = sizes.filter((size) => size.url !== url && firstVisit.has(size.url));
      expect(cached.length).toBeGreaterThan(3);
      expect(cached.filter((size) => size.bytes > 0)).toEqual([]);
      const pageLoads = sizes.filter((size) => size.url === url);
      expect(pageLoads.length).toBe(1);
      expect(pageLoads[0]?.bytes).toBeLessThan(10_000);

      // What crossed the wire (body and headers) for each file the browser asked for on either
      // visit (a font may be asked for late), fetched again the same way: Playwright does not
      // report the size of a worker's script.
      const files = await Promise.all([...new Set(requested)].map((file) => fetchRaw(file)));
      const transferred = files.reduce((sum, file) => sum + file.transferred, 0);
      console.info(`GraphiQL first visit: ${transferred} bytes in ${files.length} files`);
      expect(transferred).toBeLessThanOrEqual(1.5 * MB);
      expect(files.every((file) => file.status === 200)).toBe(true);
      // The page, every file it references and some of the fonts (those of the faces shown).
      const fonts = requested.filter((file) => /\/font\./.test(file));
      expect(fonts.length).toBeGreaterThan(0);
      expect(new Set(requested)).toEqual(new Set([url, ...(await referencedFiles()), ...fonts]));
    } finally {
      await browser.close();
    }
  }, 60_000);

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
    // The sandbox page carries codes made for one load: always revalidated, never reused as is.
    const page = await fetchRaw(url);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.bytes.length).toBeLessThan(10_000);
    const unknown = await fetchRaw(`${new URL(url).origin}/graphiql/graphiql.0000000000000000.js`);
    expect(unknown.status).toBe(404);
  }, 30_000);

  it('serves 100 visitors loading GraphiQL at once with less than 100 MB more memory', async () => {
    const files = await referencedFiles();
    const fonts = await fontFiles(files);
    /** One visitor: the page, then every file it references, at once, as a browser fetches them. */
    const visit = async (): Promise<number> => {
      const page = await fetchRaw(url);
      const rest = await Promise.all([...files, ...fonts].map((file) => fetchRaw(file)));
      return page.bytes.length + rest.reduce((sum, file) => sum + file.bytes.length, 0);
    };
    await visit();
    const before = rss(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss(pid));
    }, 20);
    try {
      const sent = await Promise.all(Array.from({ length: 100 }, visit));
      expect(sent.every((bytes) => bytes > MB)).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rss(pid));
    console.info(`100 GraphiQL visits: RSS ${before} → peak ${peak} bytes`);
    expect(peak - before).toBeLessThan(100 * MB);
  }, 60_000);
});
