/**
 * Requests broken at the transport level, found by the fuzz test (test/graphql/fuzz.test.ts):
 * `variables` or `extensions` that are not JSON in a GET or a form body used to answer HTTP 500
 * INTERNAL_SERVER_ERROR (yoga's parser threw a SyntaxError); a client hanging up mid-body used to
 * log two "unexpected error" lines with a stack. Now: 400 BAD_REQUEST, and nothing unexpected.
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  codesOf,
  startGateway,
  useGateway,
  type Gateway,
  type GraphQLBody,
} from '../support/harness.js';
import { listenOnLoopback } from '../support/ports.js';

const ENDPOINT = 'http://gateway.test/graphql';
const SPEC_ACCEPT = 'application/graphql-response+json';

function unexpectedErrors(gw: Gateway): string[] {
  return gw.logs.filter((line) => line.includes('unexpected error'));
}

/** Sent by a real client's GET and form posts (src/app.ts: CSRF prevention). */
const CSRF_HEADER = 'x-graphql-yoga-csrf';

describe('variables and extensions that are not JSON', () => {
  const fx = useGateway();
  const query = '{ __typename }';

  const cases: [string, () => Request][] = [
    [
      'GET variables',
      () => new Request(`${ENDPOINT}?${new URLSearchParams({ query, variables: '{oops' })}`),
    ],
    [
      'GET extensions',
      () => new Request(`${ENDPOINT}?${new URLSearchParams({ query, extensions: 'IBS' })}`),
    ],
    [
      'form-body variables',
      () =>
        new Request(ENDPOINT, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ query, variables: '[1,' }).toString(),
        }),
    ],
  ];

  it.each(cases)('%s: 400 BAD_REQUEST naming the part, no 500', async (name, make) => {
    const request = make();
    request.headers.set('accept', SPEC_ACCEPT);
    // GET and form posts need a CSRF header, or CSRF prevention refuses them first (403).
    request.headers.set(CSRF_HEADER, '1');
    const response = await fx.gw.yoga.fetch(request);
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody<unknown>;
    expect(codesOf(body)).toEqual(['BAD_REQUEST']);
    const part = name.endsWith('extensions') ? 'extensions' : 'variables';
    expect(body.errors?.[0]?.message).toBe(`The request's ${part} are not valid JSON.`);
    expect(unexpectedErrors(fx.gw)).toEqual([]);
  });

  it('still accepts JSON variables in a GET and a form body', async () => {
    const variables = JSON.stringify({ skip: false });
    const withVariable = 'query($skip: Boolean!) { __typename @skip(if: $skip) }';
    const get = await fx.gw.yoga.fetch(
      `${ENDPOINT}?${new URLSearchParams({ query: withVariable, variables })}`,
      { headers: { [CSRF_HEADER]: '1' } },
    );
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const form = await fx.gw.yoga.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', [CSRF_HEADER]: '1' },
      body: new URLSearchParams({ query: withVariable, variables }).toString(),
    });
    expect(await form.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('a client that hangs up in the middle of its body', () => {
  let gw: Gateway;
  let server: Server;
  let port: number;
  /** One per request: settles once yoga is done with it (its log lines written). */
  let handled: Promise<unknown>[];

  beforeEach(async () => {
    gw = await startGateway();
    handled = [];
    server = createServer((req, res) => {
      handled.push(Promise.resolve(gw.yoga(req, res)).catch((error: unknown) => error));
    });
    ({ port } = await listenOnLoopback(server));
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gw.close();
  });

  /** Declares 100 bytes, sends 10, then closes (`end`) or resets (`destroy`) the connection. */
  function cutOff(contentType: string, ending: 'end' | 'destroy'): Promise<void> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /graphql HTTP/1.1\r\nHost: x\r\n${CSRF_HEADER}: 1\r\nContent-Type: ${contentType}\r\nContent-Length: 100\r\n\r\n{"query":`,
        );
        setTimeout(() => (ending === 'end' ? socket.end() : socket.resetAndDestroy()), 20);
      });
      socket.resume(); // read (and drop) the answer, so the close is seen
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
  }

  it.each([
    ['application/json', 'end'],
    ['application/json', 'destroy'],
    ['application/x-www-form-urlencoded', 'destroy'],
    ['application/graphql', 'destroy'],
  ] as const)('%s, %s: no "unexpected error" in the log', async (contentType, ending) => {
    await cutOff(contentType, ending);
    await expect.poll(() => handled.length).toBe(1);
    await Promise.all(handled);
    expect(gw.logs.some((line) => line.includes('Parsing request'))).toBe(true);
    expect(unexpectedErrors(gw)).toEqual([]);
  });
});
