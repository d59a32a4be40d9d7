/**
 * GraphiQL's schema query, compressed and cacheable. On every load GraphiQL asks for the whole
 * schema (introspection): 137 kB of JSON, the same every time (the schema is fixed at start), and
 * yoga sends GraphQL answers uncompressed and uncacheable. For an operation that selects only
 * introspection fields (`__schema`, `__type`, `__typename`), this plugin takes the answer yoga
 * made, byte for byte, and sends it with an ETag and `Cache-Control: private, no-cache` (a browser
 * keeps it and asks again with If-None-Match: 304 while it is unchanged), compressed when the
 * client accepts brotli or gzip. Each compressed form is made once per answer (brotli at its best,
 * off the main thread) and kept for the next requests. Everything else is as before: yoga parses,
 * validates (introspection off: refused, and this plugin does nothing), executes and serializes.
 *
 * A browser keeps answers to GETs only, and GraphiQL sends its schema query as a POST: the page
 * script GRAPHIQL_SCHEMA_OVER_GET sends that one as a GET (GraphQL over HTTP allows queries there).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { getOperationAST, Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Encoding } from './compress.js';
import { chooseEncoding, matchesEtag } from './http-cache.js';

/** The operation name GraphiQL gives its schema query (its `introspectionQueryName` default). */
export const INTROSPECTION_OPERATION = 'IntrospectionQuery';

/**
 * A few lines of script on the GraphiQL page: GraphiQL's schema query goes out as a GET (with the
 * header yoga's CSRF check asks of a GET), which the browser's cache keeps and revalidates.
 */
export const GRAPHIQL_SCHEMA_OVER_GET = `(() => {
  const send = globalThis.fetch.bind(globalThis);
  const name = ${JSON.stringify(INTROSPECTION_OPERATION)};
  // GraphiQL sends empty extensions; anything more (variables) stays a POST.
  const empty = (value) =>
    value === undefined ||
    (value !== null && typeof value === 'object' && Object.keys(value).length === 0);
  const schemaQuery = (input, init) => {
    if (typeof input !== 'string' || init?.method !== 'POST') return undefined;
    if (typeof init.body !== 'string' || !init.body.includes(name)) return undefined;
    try {
      const { query, operationName, ...rest } = JSON.parse(init.body);
      const plain = typeof query === 'string' && Object.values(rest).every(empty);
      return operationName === name && plain ? query : undefined;
    } catch {
      return undefined;
    }
  };
  globalThis.fetch = (input, init) => {
    const query = schemaQuery(input, init);
    if (query === undefined) return send(input, init);
    const url = new URL(input, location.href);
    url.searchParams.set('query', query);
    url.searchParams.set('operationName', name);
    const headers = new Headers(init.headers);
    headers.delete('content-type');
    headers.set('x-graphql-yoga-csrf', '1');
    return send(url.href, { ...init, method: 'GET', body: undefined, headers });
  };
})();`;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

/** Whether the operation run selects introspection fields only, `__schema` among them. */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string | null) {
  const selections = getOperationAST(document, operationName)?.selectionSet.selections ?? [];
  const names = selections.map((selection) =>
    selection.kind === Kind.FIELD ? selection.name.value : undefined,
  );
  return (
    names.includes('__schema') &&
    names.every((name) => name !== undefined && INTROSPECTION_FIELDS.has(name))
  );
}

const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
};
const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body, { level: constants.Z_BEST_COMPRESSION }),
};

/** Answers kept (their compressed forms): one per schema query a client sends, in practice one. */
const KEPT_ANSWERS = 4;

/** An answer's compressed forms by its ETag, each made on first use, the oldest answer dropped. */
function createEncodedAnswers() {
  const answers = new Map<string, Map<Encoding, Promise<Buffer>>>();
  return (etag: string, identity: Buffer, encoding: Encoding): Promise<Buffer> => {
    let forms = answers.get(etag);
    if (forms === undefined) {
      forms = new Map();
      answers.set(etag, forms);
      const oldest = answers.keys().next().value;
      if (answers.size > KEPT_ANSWERS && oldest !== undefined) answers.delete(oldest);
    }
    let encoded = forms.get(encoding);
    if (encoded === undefined) {
      encoded = compressors[encoding](identity);
      forms.set(encoding, encoded);
      // A failure is not kept: the next request tries again.
      encoded.catch(() => forms.delete(encoding));
    }
    return encoded;
  };
}

type Encoder = ReturnType<typeof createEncodedAnswers>;

/** `Accept-Encoding` added to a Vary header (yoga's may name Origin). */
function varyOn(vary: string | null): string {
  const names = (vary ?? '').split(',').map((name) => name.trim());
  if (names.some((name) => name.toLowerCase() === 'accept-encoding')) return vary ?? '';
  return [...names.filter((name) => name !== ''), 'Accept-Encoding'].join(', ');
}

/** Yoga's answer to a schema query, with an ETag, 304 when the client has it, compressed. */
async function cacheable(
  request: Request,
  response: Response,
  encoder: Encoder,
  fetchAPI: { Response: typeof Response; Headers: typeof Headers },
): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || response.headers.has('content-encoding') || !/json/.test(type)) {
    return response;
  }
  const identity = Buffer.from(await response.arrayBuffer());
  const etag = `W/"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  const headers = new fetchAPI.Headers(response.headers);
  headers.set('ETag', etag);
  headers.set('Cache-Control', 'private, no-cache');
  headers.set('Vary', varyOn(headers.get('vary')));
  // A 304 answers a GET only (RFC 9110 §13.1.2): a POST is never served from a cache.
  if (request.method === 'GET' && matchesEtag(request.headers.get('if-none-match'), etag)) {
    headers.delete('content-type');
    headers.delete('content-length');
    return new fetchAPI.Response(null, { status: 304, headers });
  }
  const encoding = chooseEncoding(request.headers.get('accept-encoding'), ['br', 'gzip']);
  const body = encoding
    ? await encoder(etag, identity, encoding).catch(() => undefined)
    : undefined;
  if (encoding && body) headers.set('Content-Encoding', encoding);
  const bytes = body ?? identity;
  headers.set('Content-Length', String(bytes.length));
  const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  return new fetchAPI.Response(view, { status: 200, headers });
}

/** The plugin, for the GraphQL endpoint at `endpoint` (e.g. /graphql). */
export function useIntrospectionCache({ endpoint }: { endpoint: string }): Plugin {
  const introspections = new WeakSet<Request>();
  const encoder = createEncodedAnswers();
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request !== undefined && isIntrospectionOnly(args.document, args.operationName)) {
        introspections.add(request);
      }
    },
    onRequest({ url, fetchAPI, requestHandler, setRequestHandler }) {
      if (url.pathname !== endpoint) return;
      setRequestHandler(async (request, context) => {
        const response = await requestHandler(request, context);
        if (!introspections.has(request)) return response;
        return cacheable(request, response, encoder, fetchAPI);
      });
    },
  };
}
