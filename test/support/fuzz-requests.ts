/**
 * fast-check arbitraries for hostile clients of the gateway: GraphQL documents built from the
 * schema's own names (valid, nearly valid and broken), variables, headers and bodies of every
 * kind the HTTP layer may see, and raw HTTP/1.1 byte streams for a real socket.
 */
import fc from 'fast-check';

export interface FuzzRequest {
  readonly method: string;
  /** Path and query string, starting with '/'. */
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  /** undefined: no body (always so for GET and HEAD). */
  readonly body: string | Uint8Array | undefined;
}

// --- GraphQL documents ---

const FIELDS = [
  'followers',
  'userInfo',
  'users',
  'openid',
  'jsapiConfig',
  'accessToken',
  'tokenStatus',
  'refreshAccessToken',
  'resetTokenBreaker',
  '__typename',
  '__schema',
  '__type',
  'noSuchField',
] as const;

const SUBSELECTIONS = [
  'openid',
  'subscribed',
  'unionid',
  'tagIds',
  'subscribedAt',
  'totalCount',
  'nodes { openid subscribed }',
  'edges { cursor node { openid } }',
  'pageInfo { hasNextPage endCursor }',
  'value expiresAt',
  'signature nonceStr timestamp url appId',
  'scope profile { nickname avatarUrl }',
  'app mode quota { day stale } breaker { open }',
  'types { name fields { name } }',
  'name kind',
  '__typename',
  'nope',
  '...on WechatUser { openid }',
  '...F',
] as const;

const VARIABLES = ['n', 's', 'list', 'app', 'b', 'x'] as const;
const TYPES = [
  'Int',
  'Int!',
  'String',
  'String!',
  '[String!]!',
  'Boolean!',
  'Language',
  '[Int]',
  'Nope',
];

/** GraphQL literals, including ones of the wrong type, out of range, or odd. */
const literal: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string().map((s) => JSON.stringify(s)),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.constantFrom(
      'true',
      'false',
      'null',
      'ZH_CN',
      'EN',
      'official',
      '"official"',
      '"miniprogram"',
      '"o6_bmjrPTlm6_2sgVt7hMZOPfL2M"',
      '"https://example.com/?a=1#x"',
      '"javascript:alert(1)"',
      '""""block "string""""',
      '$n',
      '$s',
      '$list',
      '$undeclared',
    ),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.dictionary(fc.constantFrom('a', 'first', '__proto__'), tie('value'), { maxKeys: 2 }).map(
      (o) =>
        `{${Object.entries(o)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}}`,
    ),
  ),
})).value;

const argumentList = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'first',
        'after',
        'openid',
        'openids',
        'code',
        'app',
        'url',
        'lang',
        'force',
        'name',
        'bogus',
      ),
      literal,
    ),
    { maxLength: 3 },
  )
  .map((args) => (args.length === 0 ? '' : `(${args.map(([k, v]) => `${k}: ${v}`).join(', ')})`));

const directive = fc.constantFrom(
  '',
  '',
  ' @skip(if: false)',
  ' @include(if: $b)',
  ' @skip(if: true)',
  ' @deprecated',
  ' @nope',
  ' @include',
  ' @skip(if: "yes")',
);

const field = fc
  .tuple(
    fc.option(fc.constantFrom('a', 'b', 'alias1', '__typename'), { nil: undefined }),
    fc.constantFrom(...FIELDS),
    argumentList,
    directive,
    fc.array(fc.constantFrom(...SUBSELECTIONS), { maxLength: 4 }),
  )
  .map(
    ([alias, name, args, dir, subs]) =>
      `${alias === undefined ? '' : `${alias}: `}${name}${args}${dir}${subs.length ? ` { ${subs.join(' ')} }` : ''}`,
  );

const variableDefinitions = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...VARIABLES), fc.constantFrom(...TYPES)), {
    maxLength: 3,
    selector: ([name]) => name,
  })
  .map((defs) => (defs.length === 0 ? '' : `(${defs.map(([n, t]) => `$${n}: ${t}`).join(', ')})`));

const operation = fc
  .tuple(
    fc.constantFrom('', 'query', 'query Q', 'mutation', 'mutation M', 'subscription S', 'query Q'),
    variableDefinitions,
    fc.array(field, { maxLength: 4 }),
    fc.constantFrom(
      '',
      '',
      'fragment F on WechatUser { openid }',
      'fragment F on Query { ...G } fragment G on Query { ...F }',
      'fragment F on Nope { x }',
    ),
  )
  .map(([head, defs, fields, fragment]) => {
    const body = `{ ${fields.join(' ')} }`;
    return `${head ? `${head}${defs} ` : ''}${body} ${fragment}`.trim();
  });

/** Documents that are too big, too deep, too wide, or broken in the middle. */
const hostileDocument = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map((depth) => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`),
  fc
    .integer({ min: 1, max: 200 })
    .map((depth) => `{ users(openids: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { openid } }`),
  fc
    .integer({ min: 1, max: 400 })
    .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `{ ${'__typename '.repeat(n)}}`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `{ __typename${' @skip(if: false)'.repeat(n)} }`),
  fc
    .integer({ min: 0, max: 300_000 })
    .map((n) => `{ userInfo(openid: "${'x'.repeat(n)}") { openid } }`),
  fc.tuple(operation, fc.nat(), fc.string({ maxLength: 3 })).map(([doc, at, junk]) => {
    const cut = at % (doc.length + 1);
    return `${doc.slice(0, cut)}${junk}${doc.slice(cut + (at % 3))}`;
  }),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

export const graphqlDocument: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: operation },
  { weight: 2, arbitrary: hostileDocument },
);

// --- Variables, bodies, headers ---

const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);

const variablesValue = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom(...VARIABLES, '__proto__', 'constructor'),
    fc.jsonValue({ maxDepth: 3 }),
    {
      maxKeys: 4,
    },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

const jsonBody = fc
  .record(
    {
      query: fc.oneof({ weight: 5, arbitrary: graphqlDocument }, fc.jsonValue({ maxDepth: 2 })),
      variables: variablesValue,
      operationName: fc.oneof(
        fc.constantFrom('Q', 'M', 'S', 'Nope', ''),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      extensions: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));

const BOUNDARY = 'fuzzboundary';

const multipartBody = fc
  .tuple(
    graphqlDocument,
    fc.constantFrom('{}', '{"0":["variables.file"]}', 'nope', '{"0":["variables.x.y.z"]}'),
  )
  .map(
    ([query, map]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query })}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${map}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n` +
      `--${BOUNDARY}--\r\n`,
  );

export const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: jsonBody },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: graphqlDocument },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 1, arbitrary: multipartBody },
  {
    weight: 1,
    arbitrary: fc
      .tuple(graphqlDocument, fc.string({ maxLength: 20 }))
      .map(([query, variables]) => new URLSearchParams({ query, variables }).toString()),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 200_000, max: 400_000 })
      .map((n) => `{"query":"${' '.repeat(n)}{ __typename }"}`),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Printable ASCII: what an HTTP header value may hold (no CR, LF or NUL). */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength,
  });

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/graphql+json',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  `multipart/form-data; boundary=${BOUNDARY}`,
  'multipart/form-data',
  'multipart/mixed',
  'text/event-stream',
  '*/*',
  'garbage',
  ';;;',
];

export const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  'text/event-stream',
  'multipart/mixed',
  'multipart/mixed; deferSpec=20220824',
  'text/html',
  'text/html, application/json',
  '*/*',
  'application/json;q=0',
  'image/png',
  ',,,',
];

const header = (name: string, values: fc.Arbitrary<string>) =>
  fc.option(
    values.map((value) => [name, value] as const),
    { nil: undefined },
  );

export function headers(adminKey: string) {
  return fc
    .tuple(
      header(
        'content-type',
        fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
          { weight: 1, arbitrary: headerText(40) },
        ),
      ),
      header(
        'accept',
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...ACCEPTS) },
          { weight: 1, arbitrary: headerText(40) },
        ),
      ),
      header(
        'authorization',
        fc.oneof(
          fc.constantFrom(
            `Bearer ${adminKey}`,
            `bearer ${adminKey}`,
            `Bearer ${adminKey} extra`,
            `Bearer  ${adminKey}`,
            'Bearer ',
            'Bearer',
            'Basic Zm9vOmJhcg==',
            `${adminKey}`,
          ),
          headerText(60).map((text) => `Bearer ${text}`),
          fc.integer({ min: 1000, max: 20_000 }).map((n) => `Bearer ${'k'.repeat(n)}`),
        ),
      ),
      header(
        'origin',
        fc.constantFrom('https://evil.example', 'null', 'http://localhost:5173', '*'),
      ),
      header('x-request-id', headerText(80)),
      header('access-control-request-method', fc.constantFrom('POST', 'GET', 'DELETE')),
      header('x-graphql-yoga-csrf', fc.constantFrom('1', '')),
    )
    .map((list) => list.filter((entry): entry is readonly [string, string] => entry !== undefined));
}

export const PATHS = [
  '/graphql',
  '/graphql/',
  '/graphql?',
  '/GRAPHQL',
  '/metrics',
  '/sandbox/oauth-code',
  '/sandbox/oauth-code?scope=snsapi_base',
  '/sandbox/oauth-code?scope=nope&app=miniprogram',
  '/sandbox/js-code?app=official',
  '/sandbox/js-code?openid=__proto__',
  '/',
  '/favicon.ico',
  '/graphql/../metrics',
  '/%2e%2e/%2e%2e/etc/passwd',
];

/** Mostly what GraphQL clients send, sometimes anything else. */
const anyMethod = fc.oneof(
  { weight: 12, arbitrary: fc.constant('POST') },
  { weight: 5, arbitrary: fc.constant('GET') },
  { weight: 3, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

const anyPath = fc.oneof(
  { weight: 8, arbitrary: fc.constant('/graphql') },
  { weight: 2, arbitrary: fc.constantFrom(...PATHS) },
);

/** GET parameters: a document, variables and extensions as text (perhaps not JSON at all). */
const getQuery = fc
  .record(
    {
      query: graphqlDocument,
      variables: fc.oneof(
        variablesValue.map((v) => JSON.stringify(v) ?? ''),
        deepJson,
        fc.string(),
      ),
      operationName: fc.constantFrom('Q', 'M', ''),
      extensions: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.string(),
      ),
    },
    { requiredKeys: [] },
  )
  .map((params) => new URLSearchParams(params).toString());

export function fuzzRequest(adminKey: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(anyMethod, anyPath, getQuery, headers(adminKey), body)
    .map(([method, path, query, hdrs, payload]) => {
      const withBody = method !== 'GET' && method !== 'HEAD';
      const glue = path.includes('?') ? '&' : '?';
      return {
        method,
        path: withBody || query === '' ? path : `${path}${glue}${query}`,
        headers: hdrs,
        body: withBody ? payload : undefined,
      };
    });
}

// --- Raw HTTP/1.1 for a real socket ---

export interface RawRequest {
  readonly bytes: Buffer;
  /** `end`: half-close after writing, then read; `destroy`: reset right after writing. */
  readonly ending: 'end' | 'destroy';
  /** Write in two parts with a pause between them (a slow or stalling client). */
  readonly split: boolean;
}

const CRLF = '\r\n';

export function rawRequest(): fc.Arbitrary<RawRequest> {
  return fc
    .tuple(
      fc.constantFrom('POST', 'GET', 'PUT', 'PRI', 'CONNECT', 'G ET', 'post'),
      fc.constantFrom(
        '/graphql',
        '/graphql?query=%ZZ',
        'http://evil.example/graphql',
        '*',
        '/sandbox/js-code',
        `/${'a'.repeat(9000)}`,
      ),
      fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'HTTX/1.1'),
      body.map((b) => (typeof b === 'string' ? Buffer.from(b) : Buffer.from(b))),
      fc.constantFrom(
        'exact',
        'short',
        'long',
        'none',
        'negative',
        'garbage',
        'twice',
        'chunked',
        'chunked-garbage',
        'both',
      ),
      fc.subarray([
        'Content-Type: application/json',
        'Accept: application/graphql-response+json',
        'Connection: close',
        'Connection: Upgrade\r\nUpgrade: websocket',
        'Expect: 100-continue',
        'Expect: nonsense',
        'Content-Encoding: gzip',
        'Transfer-Encoding: gzip',
        `X-Big: ${'b'.repeat(20_000)}`,
        'Bad Header: x',
        'X-Ctl: a\u0001b',
      ]),
      fc.constantFrom<RawRequest['ending']>('end', 'end', 'destroy'),
      fc.boolean(),
    )
    .map(([method, target, version, payload, framing, extra, ending, split]) => {
      const lines = [`${method} ${target} ${version}`, 'Host: localhost', ...extra];
      let framed = payload;
      switch (framing) {
        case 'exact':
          lines.push(`Content-Length: ${payload.length}`);
          break;
        case 'short':
          lines.push(`Content-Length: ${Math.max(0, payload.length - 5)}`);
          break;
        case 'long':
          lines.push(`Content-Length: ${payload.length + 50}`);
          break;
        case 'none':
          break;
        case 'negative':
          lines.push('Content-Length: -1');
          break;
        case 'garbage':
          lines.push('Content-Length: 12abc');
          break;
        case 'twice':
          lines.push(`Content-Length: ${payload.length}`, `Content-Length: ${payload.length + 1}`);
          break;
        case 'chunked':
          lines.push('Transfer-Encoding: chunked');
          framed = Buffer.concat([
            Buffer.from(`${payload.length.toString(16)}${CRLF}`),
            payload,
            Buffer.from(`${CRLF}0${CRLF}${CRLF}`),
          ]);
          break;
        case 'chunked-garbage':
          lines.push('Transfer-Encoding: chunked');
          framed = Buffer.concat([Buffer.from(`zz${CRLF}`), payload]);
          break;
        case 'both':
          lines.push(`Content-Length: ${payload.length}`, 'Transfer-Encoding: chunked');
          break;
      }
      const head = Buffer.from(`${lines.join(CRLF)}${CRLF}${CRLF}`, 'latin1');
      return { bytes: Buffer.concat([head, framed]), ending, split };
    });
}
