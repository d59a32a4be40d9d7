/**
 * Hostile payloads nested deep enough to overflow a recursive parser: each is refused before
 * anything parses it, with QUERY_TOO_COMPLEX (never a 500), a short log line that does not
 * quote it, and the gateway answers the next request as usual.
 */
import { describe, expect, it } from 'vitest';
import { codesOf, useGateway, type GraphQLBody } from '../support/harness.js';

const ENDPOINT = 'http://gateway.test/graphql';
const DEEP = 2000;
const nested = (open: string, inner: string, close: string, depth = DEEP) =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const json = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});
const post = (payload: unknown): RequestInit => json(JSON.stringify(payload));
const get = (params: Record<string, string>) => `${ENDPOINT}?${new URLSearchParams(params)}`;
/**
 * GET and form posts need a CSRF header (src/app.ts) or CSRF prevention refuses them first (403),
 * before the nesting limit this file is about is reached.
 */
const withCsrfHeader = (init: RequestInit = { method: 'GET' }): RequestInit => ({
  ...init,
  headers: { 'x-graphql-yoga-csrf': '1', ...(init.headers as Record<string, string>) },
});

/** A 100 000-deep array: 200 kB, inside the 256 kB body limit. */
const DEEP_JSON = nested('[', '', ']', 100_000);

const HOSTILE: [string, string, RequestInit?][] = [
  // The shape from the issue: 4 kB that used to answer HTTP 500 (stack overflow in the parser).
  [
    'a list literal 2000 deep',
    ENDPOINT,
    post({ query: `{ users(openids: ${nested('[', '"x"', ']')}) { openid } }` }),
  ],
  [
    'an object literal 2000 deep',
    ENDPOINT,
    post({ query: `{ users(openids: ${nested('{a:', '1', '}')}) { openid } }` }),
  ],
  ['selection sets 2000 deep', ENDPOINT, post({ query: nested('{a', '', '}') })],
  [
    'a variable type 2000 deep',
    ENDPOINT,
    post({ query: `query($a: ${nested('[', 'String', ']')}) { __typename }` }),
  ],
  [
    'a list literal 2000 deep in a GET query string',
    get({ query: `{ users(openids: ${nested('[', '"x"', ']')}) { openid } }` }),
  ],
  [
    'variables 100 000 deep',
    ENDPOINT,
    json(
      `{"query":"query($openids: [String!]!) { users(openids: $openids) { openid } }","variables":{"openids":${DEEP_JSON}}}`,
    ),
  ],
  [
    'extensions 100 000 deep',
    ENDPOINT,
    json(`{"query":"{ __typename }","extensions":{"a":${DEEP_JSON}}}`),
  ],
  ['a body that is a 100 000-deep array', ENDPOINT, json(DEEP_JSON)],
  [
    'variables 20 000 deep in a GET query string',
    get({
      query: 'query($a: [String]) { __typename }',
      variables: `{"a":${nested('[', '', ']', 20_000)}}`,
    }),
  ],
  [
    'extensions 20 000 deep in a GET query string',
    get({ query: '{ __typename }', extensions: nested('{"a":', '1', '}', 20_000) }),
  ],
  [
    'form-encoded variables 20 000 deep',
    ENDPOINT,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: 'query($a: [String]) { __typename }',
        variables: `{"a":${nested('[', '', ']', 20_000)}}`,
      }).toString(),
    },
  ],
  [
    'an application/graphql body 2000 deep',
    ENDPOINT,
    {
      method: 'POST',
      headers: { 'content-type': 'application/graphql' },
      body: `{ users(openids: ${nested('[', '"x"', ']')}) { openid } }`,
    },
  ],
];

describe('payloads nested too deep', () => {
  const fx = useGateway();

  it.each(HOSTILE)('%s: refused before parsing, short log, no 500', async (_name, url, init) => {
    const before = fx.gw.logs.length;
    const response = await fx.gw.yoga.fetch(url, withCsrfHeader(init));
    const text = await response.text();
    expect(text.length).toBeLessThan(500);
    const body: GraphQLBody<unknown> = JSON.parse(text);
    expect(body).not.toHaveProperty('data');
    expect(codesOf(body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(body.errors?.[0]?.message).toMatch(/nests (brackets )?deeper than 32 levels/);
    expect(response.status).toBe(200);

    const lines = fx.gw.logs.slice(before);
    for (const line of lines) expect(line.length).toBeLessThan(500);
    expect(lines.filter((line) => line.includes('request refused before parsing'))).toHaveLength(1);
    expect(lines.join('')).not.toMatch(/"level":50|\[\[\[\[|\{a:\{a:/);

    const next = await fx.gw.query('{ followers(first: 1) { totalCount } }');
    expect(next.body).toEqual({ data: { followers: { totalCount: 300 } } });
  });

  it('answers HTTP 400 to a client that accepts application/graphql-response+json', async () => {
    for (const [url, init] of [
      [ENDPOINT, post({ query: `{ users(openids: ${nested('[', '"x"', ']')}) { openid } }` })],
      [ENDPOINT, json(`{"query":"{ __typename }","variables":{"a":${DEEP_JSON}}}`)],
      [get({ query: nested('{a', '', '}') }), { method: 'GET' }],
    ] as const) {
      const headers = { ...init.headers, accept: 'application/graphql-response+json' };
      const response = await fx.gw.yoga.fetch(url, withCsrfHeader({ ...init, headers }));
      expect(response.status).toBe(400);
      expect(codesOf(await response.json())).toEqual(['QUERY_TOO_COMPLEX']);
    }
  });

  it('lets 32 levels through to the usual checks, and refuses 33', async () => {
    // `{` and `(` are two levels: 30 and 31 list levels make 32 and 33.
    const at = (lists: number) =>
      `{ users(openids: ${nested('[', '"x"', ']', lists)}) { openid } }`;
    const deepest = await fx.gw.query(at(30));
    expect(codesOf(deepest.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const tooDeep = await fx.gw.query(at(31));
    expect(codesOf(tooDeep.body)).toEqual(['QUERY_TOO_COMPLEX']);

    const variables = (depth: number) => ({ a: JSON.parse(nested('[', '', ']', depth)) });
    // The variables object is one level, the body around it another.
    const query = 'query($a: [String]) { __typename }';
    expect(codesOf((await fx.gw.query(query, { variables: variables(30) })).body)).not.toContain(
      'QUERY_TOO_COMPLEX',
    );
    expect(codesOf((await fx.gw.query(query, { variables: variables(31) })).body)).toEqual([
      'QUERY_TOO_COMPLEX',
    ]);
  });

  it('still applies the 256 kB body limit, with or without a Content-Length', async () => {
    const big = JSON.stringify({ query: `{ __typename }\n#${'x'.repeat(300 * 1024)}` });
    const sized = await fx.gw.yoga.fetch(ENDPOINT, json(big));
    expect(sized.status).toBe(413);
    expect(codesOf(await sized.json())).toEqual(['REQUEST_ENTITY_TOO_LARGE']);

    const bytes = new TextEncoder().encode(big);
    const streamed = await fx.gw.yoga.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16 * 1024) {
            controller.enqueue(bytes.subarray(i, i + 16 * 1024));
          }
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(codesOf(await streamed.json())).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
  });

  it('does not count brackets inside strings, block strings and comments', async () => {
    const brackets = '['.repeat(DEEP);
    const res = await fx.gw.query(
      `# ${brackets}\n{ users(openids: ["${brackets}", """${brackets}"""]) { openid } }`,
    );
    // Refused by the resolver for what the strings are (not openids), not for their brackets.
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    const variables = await fx.gw.query(
      'query($openids: [String!]!) { users(openids: $openids) { openid } }',
      { variables: { openids: [brackets] } },
    );
    expect(codesOf(variables.body)).toEqual(['BAD_USER_INPUT']);
  });
});
