/**
 * What a log reader and a client see of one request: the request id (the client's X-Request-Id or
 * a new one) in the response header and on every line logged while the request was handled, and
 * one `access` line per operation naming the operation, the kind of caller, the duration, the
 * error codes and the HTTP status, never variables or credentials.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_OPERATION_NAME_LENGTH,
  MAX_OPERATION_NAMES,
  createGatewayMetrics,
} from '../../src/observability/gateway-metrics.js';
import { requestIdFrom } from '../../src/observability/request-scope.js';
import { subscribeSse } from '../events/helpers.js';
import {
  ADMIN_KEY,
  SERVICE_KEY,
  adminHeaders,
  useGateway,
  type Gateway,
  type QueryOptions,
} from '../support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogEntry {
  msg: string;
  level: number;
  requestId?: string;
  [field: string]: unknown;
}

const entries = (gw: Gateway): LogEntry[] => gw.logs.map((line) => JSON.parse(line) as LogEntry);
const accessLines = (gw: Gateway): LogEntry[] =>
  entries(gw).filter((entry) => entry.msg === 'access');

/** Runs `query` and returns its response and the log lines written meanwhile. */
async function logged(gw: Gateway, query: string, options: QueryOptions = {}) {
  const before = gw.logs.length;
  const res = await gw.query(query, options);
  return { res, lines: entries(gw).slice(before) };
}

const follower = (gw: Gateway): string => gw.emulator.followerOpenids(gw.official.appId)[0] ?? '';

describe('request id', () => {
  const fx = useGateway();

  it("takes the client's X-Request-Id: in the response and on every line of that request", async () => {
    const { gw } = fx;
    const id = 'checkout-7f3a:retry=2';
    // A cold token fetch (token provider), then an upstream errcode (yoga's logger).
    const { res, lines } = await logged(
      gw,
      `query Lookup { ok: userInfo(openid: "${follower(gw)}") { openid } bad: userInfo(openid: "o-nobody") { openid } }`,
      { headers: { 'x-request-id': id } },
    );
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'access_token fetched',
        'upstream failure returned to the client',
        'access',
      ]),
    );
    for (const line of lines) expect(line.requestId, line.msg).toBe(id);
  });

  it('makes a UUID when the client sends none, or one that is not short visible ASCII', async () => {
    const { gw } = fx;
    for (const header of [undefined, 'with space', 'x'.repeat(129), 'tab\there', 'ünïcode']) {
      const { res, lines } = await logged(
        gw,
        '{ jsapiConfig(url: "https://a.example/") { appId } }',
        {
          as: 'anonymous',
          headers: header === undefined ? {} : { 'x-request-id': header },
        },
      );
      const made = res.headers.get('x-request-id') ?? '';
      expect(made).toMatch(UUID);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.requestId).toBe(made);
    }
    expect(requestIdFrom('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('keeps concurrent requests apart', async () => {
    const { gw } = fx;
    await gw.query(`{ userInfo(openid: "${follower(gw)}") { openid } }`); // token cached
    const before = gw.logs.length;
    const ids = ['req-a', 'req-b', 'req-c', 'req-d'];
    await Promise.all(
      ids.map((id) =>
        gw.query(`{ ${id.replace('-', '_')}: userInfo(openid: "o-unknown-${id}") { openid } }`, {
          headers: { 'x-request-id': id },
        }),
      ),
    );
    const failures = entries(gw)
      .slice(before)
      .filter((line) => line.msg === 'upstream failure returned to the client');
    expect(failures).toHaveLength(ids.length);
    for (const line of failures) expect(line['path']).toBe(line.requestId?.replace('-', '_'));
  });

  it('is on every response: errors, GET /graphql, GraphiQL, /metrics, /healthz, unknown paths', async () => {
    const { gw } = fx;
    const responses = await Promise.all([
      gw.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D', {
        headers: { 'x-graphql-yoga-csrf': '1' },
      }),
      // Without a CSRF header: refused (403), with the id all the same.
      gw.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D'),
      gw.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } }),
      gw.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      }),
      gw.yoga.fetch('http://gateway.test/metrics'),
      gw.yoga.fetch('http://gateway.test/metrics', { headers: adminHeaders }),
      gw.yoga.fetch('http://gateway.test/healthz'),
      gw.yoga.fetch('http://gateway.test/no-such-path'),
    ]);
    expect(responses.map((res) => res.status)).toEqual([200, 403, 200, 400, 401, 200, 200, 404]);
    for (const res of responses) expect(res.headers.get('x-request-id')).toMatch(UUID);
    const given = await gw.yoga.fetch('http://gateway.test/healthz', {
      headers: { 'x-request-id': 'probe-1' },
    });
    expect(given.headers.get('x-request-id')).toBe('probe-1');
  });
});

describe('request id across origins (CORS)', () => {
  const open = useGateway();
  const listed = useGateway({ corsOrigins: ['https://shop.example.com'] });

  it('pages may send one and read the answer', async () => {
    for (const gw of [open.gw, listed.gw]) {
      const pre = await gw.yoga.fetch('http://gateway.test/graphql', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-request-id',
        },
      });
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'x-request-id',
      );
      const res = await gw.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: {
          origin: 'https://shop.example.com',
          'content-type': 'application/json',
          'x-request-id': 'page-42',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.headers.get('x-request-id')).toBe('page-42');
      expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain(
        'x-request-id',
      );
    }
  });
});

describe('access line', () => {
  const fx = useGateway();

  it('one per operation, at info, with caller kind, outcome, codes and status', async () => {
    const { gw } = fx;
    const before = accessLines(gw).length;
    const operations: [string, QueryOptions][] = [
      [`query Lookup { userInfo(openid: "${follower(gw)}") { openid } }`, { as: 'service' }],
      ['query Token { accessToken { value } }', { as: 'admin' }],
      ['query Token { accessToken { value } }', { as: 'anonymous' }],
      ['query Token { accessToken { value } }', { as: 'service' }],
      ['{ accessToken { value } }', { headers: { authorization: 'Bearer wrong-key-0123456789' } }],
      ['{ noSuchField }', { as: 'service' }],
      ['mutation Logout { logout }', { as: 'anonymous' }],
    ];
    for (const [query, options] of operations) await gw.query(query, options);
    const lines = accessLines(gw).slice(before);
    expect(lines).toHaveLength(operations.length);
    for (const line of lines) {
      expect(line.level).toBe(30);
      expect(line.requestId).toMatch(UUID);
      expect(line['durationMs']).toBeTypeOf('number');
    }
    const pick = ({
      operationType,
      operationName,
      callerKind,
      outcome,
      errorCodes,
      status,
    }: LogEntry) => ({ operationType, operationName, callerKind, outcome, errorCodes, status });
    expect(lines.map(pick)).toEqual([
      {
        operationType: 'query',
        operationName: 'Lookup',
        callerKind: 'service',
        outcome: 'ok',
        errorCodes: [],
        status: 200,
      },
      {
        operationType: 'query',
        operationName: 'Token',
        callerKind: 'admin',
        outcome: 'ok',
        errorCodes: [],
        status: 200,
      },
      {
        operationType: 'query',
        operationName: 'Token',
        callerKind: 'anonymous',
        outcome: 'error',
        errorCodes: ['UNAUTHENTICATED'],
        status: 401,
      },
      {
        operationType: 'query',
        operationName: 'Token',
        callerKind: 'service',
        outcome: 'error',
        errorCodes: ['FORBIDDEN'],
        status: 403,
      },
      {
        operationType: 'query',
        operationName: null,
        callerKind: 'invalid',
        outcome: 'error',
        errorCodes: ['UNAUTHENTICATED'],
        status: 401,
      },
      // Validation failed before the caller was identified: the header alone says nothing more.
      {
        operationType: 'query',
        operationName: null,
        callerKind: 'unidentified',
        outcome: 'error',
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
        status: 200,
      },
      {
        operationType: 'mutation',
        operationName: 'Logout',
        callerKind: 'anonymous',
        outcome: 'error',
        errorCodes: ['UNAUTHENTICATED'],
        status: 401,
      },
    ]);
    const text = lines.map((line) => JSON.stringify(line)).join('\n');
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(SERVICE_KEY);
    expect(text).not.toContain('wrong-key');
  });

  it('a session caller, and never the variables', async () => {
    const { gw } = fx;
    const { code } = gw.emulator.mintOAuthCode(gw.official.appId, { scope: 'snsapi_base' });
    const login = await gw.query<{ login: { token: string } }>(
      'mutation Login($code: String!) { login(code: $code) { token } }',
      { as: 'anonymous', variables: { code } },
    );
    const token = login.body.data?.login.token ?? '';
    expect(token).not.toBe('');
    await gw.query('query Me { me { openid } }', { as: { token } });
    const [loginLine, meLine] = accessLines(gw).slice(-2);
    expect(loginLine).toMatchObject({
      operationName: 'Login',
      callerKind: 'anonymous',
      outcome: 'ok',
    });
    expect(meLine).toMatchObject({ operationName: 'Me', callerKind: 'session', outcome: 'ok' });
    const text = gw.logs.join('\n');
    expect(text).not.toContain(code);
    expect(text).not.toContain(token);
  });

  it('a subscription: one line when its stream starts, outcome "stream"', async () => {
    const { gw } = fx;
    const before = accessLines(gw).length;
    const sub = await subscribeSse(
      async (url, init) => gw.yoga.fetch(url, init),
      'http://gateway.test/graphql',
      'subscription Events { wechatEvents { id } }',
      { authorization: `Bearer ${SERVICE_KEY}`, 'x-request-id': 'sse-1' },
    );
    try {
      await expect.poll(() => accessLines(gw).length).toBe(before + 1);
      expect(accessLines(gw).at(-1)).toMatchObject({
        requestId: 'sse-1',
        operationType: 'subscription',
        operationName: 'Events',
        callerKind: 'service',
        outcome: 'stream',
        status: 200,
      });
    } finally {
      await sub.close();
    }
  });

  it('none for what is not an operation: health, metrics, GraphiQL, preflight', async () => {
    const { gw } = fx;
    const before = accessLines(gw).length;
    await gw.yoga.fetch('http://gateway.test/healthz');
    await gw.yoga.fetch('http://gateway.test/metrics', { headers: adminHeaders });
    await gw.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    await gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' },
    });
    expect(accessLines(gw).length).toBe(before);
    // A malformed request is still a (failed) GraphQL request: one line, its code and status.
    await gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(accessLines(gw).slice(before)).toEqual([
      expect.objectContaining({ operationName: null, errorCodes: ['BAD_REQUEST'], status: 400 }),
    ]);
  });
});

describe('operation names as label values', () => {
  it(`keeps the first ${MAX_OPERATION_NAMES} distinct names, then "other"`, () => {
    const metrics = createGatewayMetrics();
    for (let i = 0; i < MAX_OPERATION_NAMES; i += 1) {
      expect(metrics.operationName(`Op${i}`, 'service')).toBe(`Op${i}`);
    }
    expect(metrics.operationName('OneTooMany', 'service')).toBe('other');
    expect(metrics.operationName('Op7', 'service')).toBe('Op7');
    expect(metrics.operationName(undefined, 'service')).toBe('Anonymous');
  });

  it(`counts names longer than ${MAX_OPERATION_NAME_LENGTH} characters as "other", taking no slot`, () => {
    const metrics = createGatewayMetrics();
    const longest = 'N'.repeat(MAX_OPERATION_NAME_LENGTH);
    expect(metrics.operationName(`${longest}x`, 'service')).toBe('other');
    expect(metrics.operationName(longest, 'service')).toBe(longest);
    for (let i = 1; i < MAX_OPERATION_NAMES; i += 1) {
      expect(metrics.operationName(`Op${i}`, 'service')).toBe(`Op${i}`);
    }
  });
});
