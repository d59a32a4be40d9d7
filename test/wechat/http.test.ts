/**
 * The upstream client against a tiny loopback server that answers the odd shapes WeChat (and
 * the networks in between) produce: text/plain JSON, string errcodes, HTML error pages, silence.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamUnavailableError, WechatApiError } from '../../src/wechat/errors.js';
import { createWechatHttp, parseRid, type WechatHttp } from '../../src/wechat/http.js';
import { errorText } from '../support/error-text.js';

const SECRET = 'TOP-SECRET-0123456789';

let server: Server;
let baseUrl: string;
let connections = 0;

function json(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> =
  {
    '/plain': (_req, res) => json(res, 200, 'text/plain', '{"openid":"o1","session_key":"k"}'),
    '/string-errcode': (_req, res) =>
      json(
        res,
        200,
        'application/json; encoding=utf-8',
        '{"errcode":"40001","errmsg":"invalid credential, access_token is invalid or not latest rid: 66b5fb8f-5e3c0071-3d7f539a"}',
      ),
    '/zero': (_req, res) =>
      json(
        res,
        200,
        'application/json',
        '{"errcode":0,"errmsg":"ok","ticket":"t","expires_in":7200}',
      ),
    '/old-hint': (_req, res) =>
      json(
        res,
        200,
        'application/json',
        '{"errcode":45009,"errmsg":"api freq out of limit hint: [KJZfAa0644e575]"}',
      ),
    '/html': (_req, res) => json(res, 502, 'text/html', '<html><body>bad gateway</body></html>'),
    '/array': (_req, res) => json(res, 200, 'application/json', '[1,2]'),
    '/nan-errcode': (_req, res) => json(res, 200, 'application/json', '{"errcode":"oops"}'),
    '/status500json': (_req, res) =>
      json(res, 500, 'application/json', '{"errcode":-1,"errmsg":"system error"}'),
    '/status404noerr': (_req, res) => json(res, 404, 'application/json', '{"message":"nope"}'),
    '/prefix/echo': async (req, res) => echo(req, res),
    '/echo': async (req, res) => echo(req, res),
    '/hang': () => undefined,
    '/drip': (_req, res) => drip(res),
    '/reset': (req) => {
      req.socket.destroy();
    },
  };

/** Headers at once, then a byte every 50 ms for 2 s: never idle long enough for bodyTimeout. */
function drip(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let sent = 0;
  const timer = setInterval(() => {
    sent += 1;
    if (sent < 40) res.write(' ');
    else res.end('{"ok":1}');
  }, 50);
  res.on('close', () => clearInterval(timer));
}

async function echo(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  json(
    res,
    200,
    'application/json',
    JSON.stringify({
      method: req.method,
      url: req.url,
      contentType: req.headers['content-type'],
      body,
    }),
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route === undefined) return json(res, 404, 'text/plain', 'no route');
    void route(req, res);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function withClient<T>(
  run: (http: WechatHttp) => Promise<T>,
  options: { headersTimeoutMs?: number; requestTimeoutMs?: number; base?: string } = {},
): Promise<T> {
  const http = createWechatHttp({
    baseUrl: options.base ?? baseUrl,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  try {
    return await run(http);
  } finally {
    await http.close();
  }
}

describe('success and errcode', () => {
  it('parses JSON whatever the content type', async () => {
    const body = await withClient((http) => http.get<{ openid: string }>('/plain', { a: '1' }));
    expect(body).toEqual({ openid: 'o1', session_key: 'k' });
  });

  it('errcode 0 is success', async () => {
    const body = await withClient((http) => http.get<{ ticket: string }>('/zero', {}));
    expect(body.ticket).toBe('t');
  });

  it('a string errcode is a number; the rid comes out of errmsg', async () => {
    const error = await withClient((http) =>
      http.get('/string-errcode', { access_token: SECRET }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({
      errcode: 40001,
      rid: '66b5fb8f-5e3c0071-3d7f539a',
      api: '/string-errcode',
    });
    expect(errorText(error)).not.toContain(SECRET);
  });

  it('old errmsg formats carry no rid', async () => {
    await expect(withClient((http) => http.get('/old-hint', {}))).rejects.toMatchObject({
      errcode: 45009,
      rid: undefined,
    });
    expect(parseRid('access_token expired rid: 66c669e3-210a005b-256a5f92')).toBe(
      '66c669e3-210a005b-256a5f92',
    );
    expect(parseRid('invalid appsecret, rid: 66b5fb8f-5e3c0071-3d7f539a')).toBe(
      '66b5fb8f-5e3c0071-3d7f539a',
    );
  });

  it('an errcode on a non-2xx answer is still a WeChat error; without one it is a bad response', async () => {
    await expect(withClient((http) => http.get('/status500json', {}))).rejects.toMatchObject({
      errcode: -1,
    });
    const error = await withClient((http) => http.get('/status404noerr', {})).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ kind: 'bad-response' });
  });

  it('non-JSON, non-object JSON and a non-numeric errcode are bad responses that quote nothing', async () => {
    for (const path of ['/html', '/array', '/nan-errcode']) {
      const error = await withClient((http) => http.get(path, { secret: SECRET })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error).toMatchObject({ kind: 'bad-response', api: path });
      expect(errorText(error)).not.toContain(SECRET);
      expect(errorText(error)).not.toContain('bad gateway');
    }
  });
});

describe('requests', () => {
  it('GET puts the query on the path; POST sends a JSON body', async () => {
    const got = await withClient((http) =>
      http.get<{ method: string; url: string }>('/echo', { appid: 'wx1', secret: 'a b&c' }),
    );
    expect(got).toMatchObject({ method: 'GET', url: '/echo?appid=wx1&secret=a+b%26c' });
    const posted = await withClient((http) =>
      http.postJson<{ method: string; url: string; contentType: string; body: string }>(
        '/echo',
        { access_token: 'T' },
        { user_list: [{ openid: 'o', lang: 'zh_CN' }] },
      ),
    );
    expect(posted).toMatchObject({
      method: 'POST',
      url: '/echo?access_token=T',
      contentType: 'application/json',
    });
    expect(JSON.parse(posted.body)).toEqual({ user_list: [{ openid: 'o', lang: 'zh_CN' }] });
  });

  it('keeps a base path prefix', async () => {
    const got = await withClient((http) => http.get<{ url: string }>('/echo', {}), {
      base: `${baseUrl}/prefix/`,
    });
    expect(got.url).toBe('/prefix/echo');
  });

  it('reuses its connections: every body is read to the end, errors included', async () => {
    const before = connections;
    await withClient(async (http) => {
      for (let i = 0; i < 20; i += 1) {
        await http.get('/status500json', {}).catch(() => undefined);
        await http.get('/html', {}).catch(() => undefined);
        await http.get('/plain', {});
      }
    });
    // Sequential calls: a socket pinned by an unread body would mean a new connection each time.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('rejects a base URL that is not plain http(s)', () => {
    expect(() => createWechatHttp({ baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => createWechatHttp({ baseUrl: 'ftp://example.com' })).toThrow(/http/);
    expect(() => createWechatHttp({ baseUrl: 'https://example.com/?x=1' })).toThrow(/query/);
    expect(() => createWechatHttp({ baseUrl: 'https://example.com', headersTimeoutMs: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      createWechatHttp({ baseUrl: 'https://example.com', requestTimeoutMs: Number.NaN }),
    ).toThrow(/requestTimeoutMs/);
  });
});

describe('transport failures', () => {
  it('a silent upstream times out within headersTimeout, and the error names no query', async () => {
    const started = performance.now();
    const error = await withClient((http) => http.get('/hang', { secret: SECRET }), {
      headersTimeoutMs: 200,
    }).catch((e: unknown) => e);
    // undici's timers tick at about one second; the 300 s default would hang the test.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ kind: 'timeout', api: '/hang' });
    expect(errorText(error)).not.toContain(SECRET);
    expect(errorText(error)).not.toContain('secret=');
  });

  it('a body dripped byte by byte stops at requestTimeout, though no gap reaches bodyTimeout', async () => {
    const started = performance.now();
    const error = await withClient((http) => http.get('/drip', { secret: SECRET }), {
      requestTimeoutMs: 300,
    }).catch((e: unknown) => e);
    // The drip lasts 2 s; without an overall deadline the call would succeed after it.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({
      kind: 'timeout',
      api: '/drip',
      message: expect.stringContaining('within 300 ms'),
    });
    expect(errorText(error)).not.toContain(SECRET);
    expect(errorText(error)).not.toContain('secret=');
  });

  it("the caller's signal aborts a request as a timeout; the connection pool keeps working", async () => {
    await withClient(async (http) => {
      const controller = new AbortController();
      const pending = http.postJson(
        '/drip',
        { access_token: SECRET },
        {},
        {
          signal: controller.signal,
        },
      );
      setTimeout(() => controller.abort(), 100);
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error).toMatchObject({ kind: 'timeout', api: '/drip' });
      expect(errorText(error)).not.toContain(SECRET);
      const already = AbortSignal.abort();
      await expect(http.get('/plain', {}, { signal: already })).rejects.toMatchObject({
        kind: 'timeout',
      });
      await expect(http.get('/plain', {})).resolves.toMatchObject({ openid: 'o1' });
    });
  });

  it('a reset connection and a refused one are network failures', async () => {
    await expect(
      withClient((http) => http.get('/reset', { secret: SECRET })),
    ).rejects.toMatchObject({
      kind: 'network',
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await withClient((http) => http.get('/x', { secret: SECRET }), {
      base: `http://127.0.0.1:${port}`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ kind: 'network' });
    expect(errorText(error)).not.toContain(SECRET);
  });
});
