/**
 * Retry safety as data: every endpoint the gateway calls has a row in endpoints.ts, and the one
 * policy function decides from it what a failure leads to. Sends are never repeated after a
 * failure that may follow WeChat acting.
 *
 * Which endpoints the gateway calls is found by calling it: every API function (the user and
 * login calls, every family, the token and ticket fetches) runs against a recording transport,
 * and what it asked for must be a row of the table, with the row's method.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WITHOUT_APP_TOKEN } from '../../scripts/docs-tables.js';
import type { Breaker } from '../../src/tokens/breaker.js';
import type { QuotaLedger } from '../../src/tokens/ledger.js';
import { createTicketFetch, createTokenFetch } from '../../src/tokens/upstream-fetch.js';
import { createWechatApi } from '../../src/wechat/api.js';
import { ENDPOINTS, endpointOf, type Repeat } from '../../src/wechat/endpoints.js';
import { UpstreamUnavailableError, WechatApiError } from '../../src/wechat/errors.js';
import { createWechatFamilies } from '../../src/wechat/families.js';
import { createWechatHttp, type WechatHttp } from '../../src/wechat/http.js';
import { judgeFailure } from '../../src/wechat/retry-policy.js';
import type { AccessTokenSource, WechatAppConfig } from '../../src/wechat/types.js';

/** The app's access_token as the recording token source hands it out. */
const APP_TOKEN = 'APP-ACCESS-TOKEN';

interface UpstreamCall {
  method: 'GET' | 'POST';
  path: string;
  /** Sent with the app's access_token (from `withAccessToken`). */
  appToken: boolean;
}

/** Stops every call at the transport, once recorded: nothing reaches a network. */
class Stopped extends Error {}

function recordingTransport(calls: UpstreamCall[]): WechatHttp {
  const record = (method: 'GET' | 'POST', path: string, query: Record<string, string>) => {
    calls.push({ method, path, appToken: query.access_token === APP_TOKEN });
    return Promise.reject(new Stopped(path));
  };
  return {
    get: (path, query) => record('GET', path, query),
    postJson: (path, query) => record('POST', path, query),
    postForImage: (path, query) => record('POST', path, query),
    close: () => Promise.resolve(),
  };
}

const tokens: AccessTokenSource = { withAccessToken: (call) => call(APP_TOKEN) };
const app = (tokenMode: WechatAppConfig['tokenMode']): WechatAppConfig => ({
  name: 'official',
  kind: 'official',
  appId: 'wx0000000000000001',
  appSecret: 'secret',
  tokenMode,
});
const ignore = () => Promise.resolve();
const breaker = {
  assertClosed: ignore,
  trip: () => Promise.resolve(undefined),
} as Partial<Breaker> as Breaker;
const ledger = {
  recordTokenCall: ignore,
  recordFailure: ignore,
  recordTicketCall: ignore,
} as Partial<QuotaLedger> as QuotaLedger;

/**
 * Calls every API function of the gateway, each way that picks another endpoint, and returns the
 * requests they made. `covered` gets the name of every function called, to hold the list complete.
 */
async function everyUpstreamCall(covered: Set<string>): Promise<UpstreamCall[]> {
  const calls: UpstreamCall[] = [];
  const http = recordingTransport(calls);
  const clock = { now: () => Date.UTC(2026, 0, 15) };
  const api = createWechatApi({ app: app('stable'), http, tokens });
  const families = createWechatFamilies({ http, tokens, clock });
  const message = { type: 'text' as const, text: 'hi' };
  const send = { clientMsgId: 'id-1', sendIgnoreReprint: false };
  const runs: Record<string, () => Promise<unknown>> = {
    'api.getUserInfo': () => api.getUserInfo('o1', 'zh_CN'),
    'api.batchGetUserInfo': () => api.batchGetUserInfo([{ openid: 'o1', lang: 'zh_CN' }]),
    'api.getFollowers': () => api.getFollowers(),
    'api.exchangeOAuthCode': () => api.exchangeOAuthCode('code'),
    'api.getOAuthUserInfo': () => api.getOAuthUserInfo('user-oauth-token', 'o1', 'zh_CN'),
    'api.code2Session': () => api.code2Session('code'),
    'messages.sendTemplate': () =>
      families.messages.sendTemplate({ openid: 'o1', templateId: 't', data: [] }),
    'messages.sendSubscribe': async () => {
      await families.messages
        .sendSubscribe('miniprogram', { openid: 'o1', templateId: 't', data: [] })
        .catch(ignore);
      await families.messages.sendSubscribe('official', {
        openid: 'o1',
        templateId: 't',
        data: [],
      });
    },
    'mass.send': async () => {
      await families.mass.send({ toAll: true }, message, send).catch(ignore);
      await families.mass.send({ openids: ['o1', 'o2'] }, message, send);
    },
    'mass.preview': () => families.mass.preview({ openid: 'o1' }, message),
    'mass.status': () => families.mass.status('1'),
    'mass.delete': () => families.mass.delete('1', 0),
    'qrCodes.create': () => families.qrCodes.create({ scene: { str: 's' }, expiresIn: 60 }),
    'miniProgram.unlimitedCode': () => families.miniProgram.unlimitedCode({ scene: 's' }),
    'miniProgram.link': async () => {
      await families.miniProgram.link({ kind: 'scheme', expiry: { days: 1 } }).catch(ignore);
      await families.miniProgram.link({ kind: 'urllink', expiry: { days: 1 } });
    },
    'miniProgram.phoneNumber': () => families.miniProgram.phoneNumber('code'),
    'tags.list': () => families.tags.list(),
    'tags.create': () => families.tags.create('name'),
    'tags.rename': () => families.tags.rename(100, 'name'),
    'tags.delete': () => families.tags.delete(100),
    'tags.tagUsers': () => families.tags.tagUsers(100, ['o1']),
    'tags.untagUsers': () => families.tags.untagUsers(100, ['o1']),
    'tags.members': () => families.tags.members(100),
    'tags.setRemark': () => families.tags.setRemark('o1', 'remark'),
    // The cached tag list calls tags.list.
    'tagNames.tagsOf': () => families.tagNames.tagsOf([100]),
    'tagNames.invalidate': async () => families.tagNames.invalidate(),
  };
  const signal = new AbortController().signal;
  const tokenFetches: Record<string, () => Promise<unknown>> = {
    'token.stable': () =>
      createTokenFetch({
        app: app('stable'),
        http,
        breaker,
        ledger,
        clock,
      })('cold', { force: false, uncoordinated: false }, signal),
    'token.legacy': () =>
      createTokenFetch({
        app: app('legacy'),
        http,
        breaker,
        ledger,
        clock,
      })('cold', { force: false, uncoordinated: false }, signal),
    'ticket.jsapi': () =>
      createTicketFetch({
        http,
        ledger,
        withAccessToken: tokens.withAccessToken,
      })('cold', { force: false, uncoordinated: false }, signal),
  };
  for (const [name, run] of Object.entries({ ...runs, ...tokenFetches })) {
    covered.add(name);
    await run().catch((error: unknown) => {
      if (!(error instanceof Stopped)) throw error;
    });
  }
  return calls;
}

/** Every function of every API object the gateway builds, as `family.name`. */
function apiFunctions(): string[] {
  const http = recordingTransport([]);
  const objects: Record<string, object> = {
    api: createWechatApi({ app: app('stable'), http, tokens }),
    ...createWechatFamilies({ http, tokens, clock: { now: () => 0 } }),
  };
  return Object.entries(objects).flatMap(([family, object]) =>
    Object.entries(object)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => `${family}.${name}`),
  );
}

const minusOne = () => new WechatApiError('/x', -1, 'system error');
const rejected = (errcode: number) => new WechatApiError('/x', errcode, 'no');
const timeout = () => new UpstreamUnavailableError('/x', 'timeout', 'late');
const lost = () => new UpstreamUnavailableError('/x', 'network', 'other side closed');
const garbled = () => new UpstreamUnavailableError('/x', 'bad-response', 'html');
const unreached = () =>
  new UpstreamUnavailableError('/x', 'network', 'ECONNREFUSED', { reached: false });

describe('the endpoint table', () => {
  it('has a row, with its method, for every request an API function makes, and no row unused', async () => {
    const covered = new Set<string>();
    const calls = await everyUpstreamCall(covered);
    expect(apiFunctions().filter((name) => !covered.has(name))).toEqual([]);
    const requests = [...new Set(calls.map((call) => `${call.method} ${call.path}`))].sort();
    expect(requests).toEqual(ENDPOINTS.map((row) => `${row.method} ${row.path}`).sort());
    expect(new Set(ENDPOINTS.map((row) => row.path)).size).toBe(ENDPOINTS.length);
  });

  it('says which endpoints go without the app token as the API functions call them', async () => {
    const calls = await everyUpstreamCall(new Set());
    const without = calls
      .filter((call) => endpointOf(call.path)?.repeat !== 'token' && !call.appToken)
      .map((call) => call.path);
    expect([...new Set(without)].sort()).toEqual(Object.keys(WITHOUT_APP_TOKEN).sort());
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
