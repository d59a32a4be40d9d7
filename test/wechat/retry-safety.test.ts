/**
 * Retry safety as data: every endpoint the gateway calls has a row in endpoints.ts, and the one
 * policy function decides from it what a failure leads to. Sends are never repeated after a
 * failure that may follow WeChat acting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, endpointOf, type Repeat } from '../../src/wechat/endpoints.js';
import { UpstreamUnavailableError, WechatApiError } from '../../src/wechat/errors.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import { judgeFailure } from '../../src/wechat/retry-policy.js';

const SRC = new URL('../../src/', import.meta.url);

/** Every `'/cgi-bin/…'`, `'/sns/…'` or `'/wxa/…'` constant the gateway's client code names. */
function upstreamPaths(): string[] {
  const files = [
    ...readdirSync(new URL('wechat/', SRC)).map((f) => new URL(`wechat/${f}`, SRC)),
    new URL('tokens/upstream-fetch.ts', SRC),
  ].filter((url) => url.pathname.endsWith('.ts') && !url.pathname.endsWith('endpoints.ts'));
  const found = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /_API = '(\/(?:cgi-bin|sns|wxa)\/[^']+)'/g,
    )) {
      found.add(match[1] ?? '');
    }
  }
  return [...found];
}

const minusOne = () => new WechatApiError('/x', -1, 'system error');
const rejected = (errcode: number) => new WechatApiError('/x', errcode, 'no');
const timeout = () => new UpstreamUnavailableError('/x', 'timeout', 'late');
const lost = () => new UpstreamUnavailableError('/x', 'network', 'other side closed');
const garbled = () => new UpstreamUnavailableError('/x', 'bad-response', 'html');
const unreached = () =>
  new UpstreamUnavailableError('/x', 'network', 'ECONNREFUSED', { reached: false });

describe('the endpoint table', () => {
  it('has a row for every upstream path the gateway calls, and no row twice', () => {
    const paths = upstreamPaths();
    expect(paths.length).toBeGreaterThan(25);
    expect(paths.filter((path) => endpointOf(path) === undefined)).toEqual([]);
    expect(new Set(ENDPOINTS.map((row) => row.path)).size).toBe(ENDPOINTS.length);
  });

  it('declares every template, subscribe and mass send as a send', () => {
    const sends = ENDPOINTS.filter((row) => row.repeat === 'send').map((row) => row.path);
    expect(sends.sort()).toEqual(
      [
        '/cgi-bin/message/template/send',
        '/cgi-bin/message/subscribe/send',
        '/cgi-bin/message/subscribe/bizsend',
        '/cgi-bin/message/mass/sendall',
        '/cgi-bin/message/mass/send',
        '/cgi-bin/message/mass/preview',
      ].sort(),
    );
  });
});

describe('judgeFailure', () => {
  const cases: [Repeat | undefined, string, () => Error, string][] = [
    ['send', '-1', minusOne, 'unknown'],
    ['send', 'a timeout', timeout, 'unknown'],
    ['send', 'a lost connection', lost, 'unknown'],
    ['send', 'a garbled answer', garbled, 'unknown'],
    ['send', 'a request that never left', unreached, 'fail'],
    ['send', '43004', () => rejected(43004), 'fail'],
    ['read', '-1', minusOne, 'retry'],
    ['read', 'a timeout', timeout, 'retry'],
    ['read', 'a lost connection', lost, 'retry'],
    ['read', '40003', () => rejected(40003), 'fail'],
    ['idempotent', 'a lost connection', lost, 'retry'],
    ['single-use', '-1', minusOne, 'retry'],
    ['single-use', 'a request that never left', unreached, 'retry'],
    ['single-use', 'a timeout', timeout, 'fail'],
    ['single-use', 'a lost connection', lost, 'fail'],
    ['token', '-1', minusOne, 'fail'],
    [undefined, 'a timeout', timeout, 'fail'],
  ];

  it.each(cases)('%s after %s → %s', (repeat, _what, error, verdict) => {
    expect(judgeFailure(repeat, error(), 1, 2)).toBe(verdict);
  });

  it('retries at most maxAttempts - 1 times', () => {
    expect(judgeFailure('read', minusOne(), 2, 2)).toBe('fail');
    expect(judgeFailure('read', minusOne(), 2, 3)).toBe('retry');
  });
});

describe('a send that never left this host', () => {
  it('is UPSTREAM_UNAVAILABLE (nothing sent), not an unknown outcome', async () => {
    // A port that was free a moment ago: the connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const http = createWechatHttp({ baseUrl: `http://127.0.0.1:${port}`, retryDelayMs: 1 });
    try {
      const error = await http
        .postJson('/cgi-bin/message/template/send', { access_token: 'T' }, {})
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error).toMatchObject({ reached: false, kind: 'network' });
    } finally {
      await http.close();
    }
  });
});
