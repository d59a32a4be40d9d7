/**
 * GraphiQL's schema query (src/graphiql/introspection.ts): compressed, with an ETag and 304, byte
 * for byte the JSON yoga makes; every other operation, and a gateway with introspection off, as
 * before. And the page script that sends the schema query as a GET.
 */
import { runInNewContext } from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { execute, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_SCHEMA_OVER_GET, isIntrospectionOnly } from '../../src/graphiql/introspection.js';
import { ADMIN_KEY, useGateway, type Gateway } from '../support/harness.js';

/** The schema query as GraphiQL (yoga's page) asks it. */
const SCHEMA_QUERY = getIntrospectionQuery({
  descriptions: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  directiveIsRepeatable: true,
  specifiedByUrl: true,
});
const ACCEPT = 'application/graphql-response+json, application/json, multipart/mixed';
const CONTEXT = { req: { socket: { remoteAddress: '127.0.0.1' } } };

interface Sent {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

async function post(gw: Gateway, body: object, headers: Record<string, string> = {}) {
  const response = await gw.yoga.fetch(
    'http://gateway.test/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
      body: JSON.stringify(body),
    },
    CONTEXT,
  );
  return sent(response);
}

/** The schema query over GET, as the page's script sends it. */
async function get(gw: Gateway, headers: Record<string, string> = {}) {
  const url = new URL('http://gateway.test/graphql');
  url.searchParams.set('query', SCHEMA_QUERY);
  url.searchParams.set('operationName', 'IntrospectionQuery');
  const response = await gw.yoga.fetch(
    url.href,
    { headers: { accept: ACCEPT, 'x-graphql-yoga-csrf': '1', ...headers } },
    CONTEXT,
  );
  return sent(response);
}

async function sent(response: Response): Promise<Sent> {
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

function decoded({ headers, bytes }: Sent): Buffer {
  const encoding = headers.get('content-encoding');
  if (encoding === 'br') return brotliDecompressSync(bytes);
  if (encoding === 'gzip') return gunzipSync(bytes);
  return bytes;
}

const schemaQuery = { query: SCHEMA_QUERY, operationName: 'IntrospectionQuery' };

describe("GraphiQL's schema query", () => {
  const fx = useGateway();

  it('is compressed, and byte for byte the JSON yoga makes of the result', async () => {
    const [br, gzip, identity] = await Promise.all([
      post(fx.gw, schemaQuery, { 'accept-encoding': 'gzip, deflate, br, zstd' }),
      post(fx.gw, schemaQuery, { 'accept-encoding': 'gzip' }),
      post(fx.gw, schemaQuery),
    ]);
    // What yoga serializes: the execution result as JSON.
    const { schema } = fx.gw.yoga.getEnveloped(CONTEXT);
    const result = await execute({ schema, document: parse(SCHEMA_QUERY) });
    expect(identity.bytes.toString('utf8')).toBe(JSON.stringify(result));
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.headers.get('content-length')).toBe(String(identity.bytes.length));
    expect(identity.bytes.length).toBeGreaterThan(100_000);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    // Buffer.equals: a deep comparison of 139 kB would be slow.
    expect(decoded(br).equals(identity.bytes)).toBe(true);
    expect(decoded(gzip).equals(identity.bytes)).toBe(true);
    expect(br.bytes.length).toBeLessThan(identity.bytes.length / 8);
    for (const answer of [br, gzip, identity]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(
        'application/graphql-response+json; charset=utf-8',
      );
      expect(answer.headers.get('cache-control')).toBe('private, no-cache');
      expect(answer.headers.get('vary')).toMatch(/Accept-Encoding/);
      expect(answer.headers.get('etag')).toBe(identity.headers.get('etag'));
      expect(answer.headers.get('x-request-id')).toEqual(expect.any(String));
    }
  });

  it('is answered 304 to a GET (as the page sends it) once the client has it', async () => {
    const first = await get(fx.gw, { 'accept-encoding': 'br' });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers.get('content-encoding')).toBe('br');
    const posted = await post(fx.gw, schemaQuery);
    expect(decoded(first).equals(posted.bytes)).toBe(true);
    const again = await get(fx.gw, { 'accept-encoding': 'br', 'if-none-match': `"x", ${etag}` });
    expect({ status: again.status, bytes: again.bytes.length }).toEqual({ status: 304, bytes: 0 });
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    expect(again.headers.get('content-type')).toBeNull();
    // Another version, or a POST (never served from a cache): the whole answer.
    const stale = await get(fx.gw, { 'if-none-match': 'W/"someOtherVersion"' });
    const viaPost = await post(fx.gw, schemaQuery, { 'if-none-match': etag });
    expect([stale.status, viaPost.status]).toEqual([200, 200]);
    expect(viaPost.bytes.equals(posted.bytes)).toBe(true);
    // The same for any caller: the schema does not depend on who asks.
    const asAdmin = await get(fx.gw, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(asAdmin.headers.get('etag')).toBe(etag);
  });

  it('leaves every other operation as it was', async () => {
    for (const query of [
      '{ __typename }',
      '{ __schema { queryType { name } } tokenStatus { app } }',
      'query IntrospectionQuery { tokenStatus { app } }',
    ]) {
      const answer = await post(
        fx.gw,
        { query },
        { 'accept-encoding': 'br, gzip', authorization: `Bearer ${ADMIN_KEY}` },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-encoding')).toBeNull();
      expect(answer.headers.get('etag')).toBeNull();
      expect(answer.headers.get('cache-control')).toBeNull();
      expect(JSON.parse(answer.bytes.toString('utf8'))).toHaveProperty('data');
    }
  });
});

describe("GraphiQL's schema query with introspection off", () => {
  const fx = useGateway({ graphiql: false });

  it('is refused as before, neither compressed nor cacheable', async () => {
    const answer = await post(fx.gw, schemaQuery, { 'accept-encoding': 'br, gzip' });
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.headers.get('etag')).toBeNull();
    const body = JSON.parse(answer.bytes.toString('utf8')) as { errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe('isIntrospectionOnly', () => {
  it.each([
    ['{ __schema { queryType { name } } }', undefined, true],
    [
      '{ __schema { queryType { name } } __typename t: __type(name: "Query") { name } }',
      undefined,
      true,
    ],
    ['{ __typename }', undefined, false],
    ['{ __schema { queryType { name } } me { openid } }', undefined, false],
    ['{ ... on Query { __schema { queryType { name } } } }', undefined, false],
    ['query A { __schema { queryType { name } } } query B { me { openid } }', 'A', true],
    ['query A { __schema { queryType { name } } } query B { me { openid } }', 'B', false],
  ])('%s (%s): %s', (query, operationName, expected) => {
    expect(isIntrospectionOnly(parse(query), operationName)).toBe(expected);
  });
});

describe("the GraphiQL page's schema over GET", () => {
  /** Runs the script in a fresh global whose fetch records what it was asked. */
  function loadScript() {
    const calls: { input: string; method?: string; headers: Headers; body?: unknown }[] = [];
    const page = {
      Headers,
      URL,
      location: { href: 'http://127.0.0.1:4000/graphql' },
      fetch: async (input: string, init: RequestInit = {}) => {
        calls.push({
          input,
          method: init.method,
          headers: new Headers(init.headers),
          body: init.body,
        });
        return new Response('{}');
      },
    };
    runInNewContext(GRAPHIQL_SCHEMA_OVER_GET, page);
    return { calls, fetch: page.fetch };
  }

  it("sends GraphiQL's schema query as a GET with the CSRF header, anything else as it was", async () => {
    const { calls, fetch } = loadScript();
    const headers = {
      accept: ACCEPT,
      'content-type': 'application/json',
      authorization: 'Bearer key',
    };
    const introspection = JSON.stringify({ ...schemaQuery, extensions: {} });
    await fetch('http://127.0.0.1:4000/graphql', { method: 'POST', headers, body: introspection });
    const withVariables = JSON.stringify({ ...schemaQuery, variables: { a: 1 } });
    await fetch('http://127.0.0.1:4000/graphql', { method: 'POST', headers, body: withVariables });
    const other = JSON.stringify({ query: '{ me { openid } }', operationName: 'Me' });
    await fetch('http://127.0.0.1:4000/graphql', { method: 'POST', headers, body: other });

    const [asGet, stillPost, untouched] = calls;
    expect(asGet?.method).toBe('GET');
    expect(asGet?.body).toBeUndefined();
    const url = new URL(asGet?.input ?? '');
    expect([...url.searchParams.keys()]).toEqual(['query', 'operationName']);
    expect(url.searchParams.get('query')).toBe(SCHEMA_QUERY);
    expect(url.searchParams.get('operationName')).toBe('IntrospectionQuery');
    expect(Object.fromEntries(asGet?.headers ?? [])).toEqual({
      accept: ACCEPT,
      authorization: 'Bearer key',
      'x-graphql-yoga-csrf': '1',
    });
    expect(stillPost).toMatchObject({ method: 'POST', body: withVariables });
    expect(untouched).toMatchObject({ method: 'POST', body: other });
    expect(untouched?.headers.get('content-type')).toBe('application/json');
  });
});
