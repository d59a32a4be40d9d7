/**
 * What a browser gets at the GraphQL URL (a GET asking for text/html, as yoga decides it):
 * GraphiQL's page when it is on, a short page saying how to call the endpoint (406) when it is
 * off. And GraphiQL's files under /graphiql/, cached for good by their content-named URLs.
 * Yoga's own GraphiQL (one 9 MB page built on every load) is not used.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';
import { GRAPHIQL_ASSET_PATH, graphiqlAssets, type GraphiqlAsset } from './assets.js';
import type { Encoding } from './compress.js';
import { chooseEncoding, matchesEtag } from './http-cache.js';
import { graphiqlOffPage, renderGraphiqlPage } from './page.js';

export interface GraphiqlRouteOptions {
  /** The GraphQL URL's path, e.g. /graphql. */
  endpoint: string;
  /** The options of one page load; false: GraphiQL is off. */
  options: ((request: Request) => GraphiQLOptions) | false;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Body {
  identity: Buffer;
  /** The encodings on offer. */
  available: readonly Encoding[];
  encoded(encoding: Encoding): Buffer | undefined;
}

/** 304 when the browser holds this version; else the body in the best encoding it accepts. */
function send(
  request: Request,
  body: Body,
  headers: Record<string, string>,
  fetchAPI: { Response: typeof Response },
  status = 200,
): Response {
  const etag = headers['ETag'];
  const common = { ...headers, Vary: 'Accept-Encoding' };
  if (etag !== undefined && matchesEtag(request.headers.get('if-none-match'), etag)) {
    return new fetchAPI.Response(null, { status: 304, headers: common });
  }
  const encoding = chooseEncoding(request.headers.get('accept-encoding'), body.available);
  const bytes = (encoding && body.encoded(encoding)) ?? body.identity;
  // A view of the same memory: every response sends the one buffer.
  const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  return new fetchAPI.Response(view, {
    status,
    headers: {
      ...common,
      'Content-Length': String(bytes.length),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    },
  });
}

/** A page made for one response (a few kilobytes): compressed quickly, in the one encoding sent. */
function htmlBody(html: string): Body {
  const identity = Buffer.from(html, 'utf8');
  return {
    identity,
    available: ['br', 'gzip'],
    encoded: (encoding) =>
      encoding === 'gzip'
        ? gzipSync(identity)
        : brotliCompressSync(identity, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
            },
          }),
  };
}

/** A file of GraphiQL's, in the encodings made so far. */
function assetBody(asset: GraphiqlAsset): Body {
  return {
    identity: asset.identity,
    available: (['br', 'gzip'] as const).filter((encoding) => asset[encoding] !== undefined),
    encoded: (encoding) => asset[encoding],
  };
}

function assetResponse(
  request: Request,
  asset: GraphiqlAsset,
  fetchAPI: { Response: typeof Response },
): Response {
  const headers = {
    'Content-Type': asset.type,
    'Cache-Control': IMMUTABLE,
    ETag: `W/"${asset.hash}"`,
  };
  return send(request, assetBody(asset), headers, fetchAPI);
}

/** Whether a tab sends a real key: placeholders (`<SERVICE_API_KEY>`, `<token from Login>`) don't. */
function sendsKeys(page: GraphiQLOptions): boolean {
  return (page.defaultTabs ?? []).some((tab) => /Bearer [^<"\s]/.test(tab.headers ?? ''));
}

export function useGraphiql({ endpoint, options }: GraphiqlRouteOptions): Plugin {
  const atEndpoint = (path: string) => path === endpoint || path === `${endpoint}/`;
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (options && request.method === 'GET' && url.pathname.startsWith(GRAPHIQL_ASSET_PATH)) {
        const assets = await graphiqlAssets();
        const asset = assets.get(url.pathname);
        if (!asset) return;
        // Sent as far as compressed by now (main.ts starts it at start-up).
        assets.compress().catch(() => undefined);
        endResponse(assetResponse(request, asset, fetchAPI));
        return;
      }
      if (!atEndpoint(url.pathname) || !shouldRenderGraphiQL(request)) return;
      if (!options) {
        const page = graphiqlOffPage(`${url.origin}${endpoint}`);
        const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' };
        endResponse(send(request, htmlBody(page), headers, fetchAPI, 406));
        return;
      }
      const { urls } = await graphiqlAssets();
      const page = options(request);
      const html = renderGraphiqlPage(page, urls);
      // Revalidated on every load: a sandbox page carries codes made for this load only. One
      // whose tabs send real keys (the sandbox's throw-away ones) is kept by no cache at all.
      const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 22)}"`;
      const headers = {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': sendsKeys(page) ? 'no-store, private' : 'no-cache',
        ETag: etag,
      };
      endResponse(send(request, htmlBody(html), headers, fetchAPI));
    },
  };
}
