/**
 * One request, one credential: two `Authorization` headers (node:http would keep the first and
 * drop the second) or one holding a comma are refused with UNAUTHENTICATED before anything runs,
 * whichever comes first, on GraphQL and on /metrics alike.
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AMBIGUOUS_AUTHORIZATION_MESSAGE } from '../../src/auth/authorization-gate.js';
import { ADMIN_KEY, SERVICE_KEY, startGateway, type Gateway } from '../support/harness.js';
import { BATCHGET_API } from '../support/wechat-api.js';

/** A raw HTTP/1.1 request, headers exactly as given (repeated ones included). */
function rawRequest(
  port: number,
  lines: { method: string; path: string; headers: [string, string][]; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const body = lines.body ?? '';
    const head = [
      `${lines.method} ${lines.path} HTTP/1.1`,
      'host: 127.0.0.1',
      'connection: close',
      `content-length: ${Buffer.byteLength(body)}`,
      ...lines.headers.map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), text });
    });
  });
}

describe('two Authorization headers over a real socket', () => {
  let gw: Gateway;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    gw = await startGateway();
    server = createServer(gw.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    port = address.port;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gw.close();
  });

  const users = (gw: Gateway) => {
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    return JSON.stringify({ query: `{ users(openids: ["${openid}"]) { openid } }` });
  };

  it('are refused with UNAUTHENTICATED, whichever comes first, and nothing runs', async () => {
    for (const pair of [
      [`Bearer ${SERVICE_KEY}`, 'Bearer someone-elses-credential'],
      ['Bearer someone-elses-credential', `Bearer ${SERVICE_KEY}`],
      [`Bearer ${SERVICE_KEY}`, `Bearer ${SERVICE_KEY}`],
    ]) {
      const res = await rawRequest(port, {
        method: 'POST',
        path: '/graphql',
        headers: [
          ['content-type', 'application/json'],
          ...pair.map((value): [string, string] => ['Authorization', value]),
        ],
        body: users(gw),
      });
      expect(res.status, pair.join(' + ')).toBe(401);
      const json = JSON.parse(res.text.slice(res.text.indexOf('\r\n\r\n') + 4)) as unknown;
      expect(json).toEqual({
        errors: [
          { message: AMBIGUOUS_AUTHORIZATION_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } },
        ],
      });
      expect(res.text).toMatch(/^www-authenticate: Bearer realm="wechat-graphql-gateway"\r$/im);
    }
    expect(gw.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('are refused on /metrics too', async () => {
    const res = await rawRequest(port, {
      method: 'GET',
      path: '/metrics',
      headers: [
        ['authorization', `Bearer ${ADMIN_KEY}`],
        ['authorization', 'Bearer not-the-admin-key'],
      ],
    });
    expect(res.status).toBe(401);
    const one = await rawRequest(port, {
      method: 'GET',
      path: '/metrics',
      headers: [['authorization', `Bearer ${ADMIN_KEY}`]],
    });
    expect(one.status).toBe(200);
  });

  it('leave one header as it was: one credential still works', async () => {
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/graphql',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', `Bearer ${SERVICE_KEY}`],
      ],
      body: users(gw),
    });
    expect(res.status).toBe(200);
    expect(gw.emulator.calls(BATCHGET_API)).toBe(1);
  });
});

describe('one Authorization header holding two credentials', () => {
  let gw: Gateway;
  beforeEach(async () => {
    gw = await startGateway();
  });
  afterEach(async () => {
    await gw.close();
  });

  it('is refused with UNAUTHENTICATED (what a proxy makes of two headers)', async () => {
    for (const header of [
      `Bearer ${SERVICE_KEY}, Bearer someone-elses-credential`,
      `Bearer ${SERVICE_KEY},x`,
    ]) {
      const res = await gw.query('{ followers(first: 1) { totalCount } }', {
        headers: { authorization: header },
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        errors: [
          { message: AMBIGUOUS_AUTHORIZATION_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } },
        ],
      });
    }
  });
});
