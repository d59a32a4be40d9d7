/**
 * Every row of the README's error table, provoked through the real emulator (the access rows,
 * UNAUTHENTICATED, FORBIDDEN and the gateway's own RATE_LIMITED, in access-table.test.ts and
 * rate-limits.test.ts). Each response, and every log line of the run, is also checked for
 * secrets: the app secrets, the keys, the session secret, the tokens and codes the run used, and
 * (in the response) the upstream URL.
 */
import { createUserBatcher } from '../../src/wechat/user-batcher.js';
import { createUserCache } from '../../src/wechat/user-cache.js';
import { createServer, request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import type { GatewayApp } from '../../src/apps/gateway-apps.js';
import { captureLogs } from '../support/log-capture.js';
import { listenOnLoopback } from '../support/ports.js';
import {
  ADMIN_KEY,
  adminHeaders,
  codesOf,
  SERVICE_KEY,
  serviceHeaders,
  SESSION_SECRET,
  startGateway,
  useGateway,
  type Gateway,
  type GatewayOptions,
  type GraphQLResult,
  type Upstream,
} from '../support/harness.js';
import {
  BATCHGET_API,
  JSCODE2SESSION_API,
  OAUTH_TOKEN_API,
  STABLE_TOKEN_API,
} from '../support/wechat-api.js';

/** A value to look for; a missing or blank one fails the test instead of passing it vacuously. */
function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') {
    throw new Error(`no ${what} to look for: the secret check would prove nothing`);
  }
  return value;
}

function appSecret(gw: Gateway, app: GatewayApp): string {
  const emulated = gw.emulator.apps.find((candidate) => candidate.appId === app.appId);
  return required(emulated?.appSecret, `app secret of "${app.name}"`);
}

/**
 * The access token the run used: the provider's cached one, read without a token call (a new
 * token would be one the response could not have shown).
 */
async function runToken(gw: Gateway): Promise<string> {
  const tokenCalls = gw.emulator.calls(STABLE_TOKEN_API);
  const token = await gw.official.tokens.getAccessToken();
  expect(gw.emulator.calls(STABLE_TOKEN_API), 'reading the run’s token fetched a new one').toBe(
    tokenCalls,
  );
  return token.value;
}

/**
 * Neither the response nor any log line of the run shows a secret: both app secrets, the admin
 * key, and the run's own tokens and codes (`runValues`, by what they are). The response names
 * no upstream address or WeChat path either.
 */
function expectNothingSecret(
  gw: Gateway,
  res: GraphQLResult<unknown>,
  runValues: Record<string, string | undefined> = {},
): void {
  const secrets: [string, string | undefined][] = [
    ['official app secret', appSecret(gw, gw.official)],
    ['mini program secret', appSecret(gw, gw.mini)],
    ['admin key', ADMIN_KEY],
    ['service key', SERVICE_KEY],
    ['session secret', SESSION_SECRET],
    ...Object.entries(runValues),
  ];
  const logs = gw.logs.join('\n');
  for (const [what, value] of secrets) {
    const secret = required(value, what);
    expect(res.text, `the ${what} is in the response`).not.toContain(secret);
    expect(logs, `the ${what} is in a log line`).not.toContain(secret);
  }
  expect(res.text).not.toContain(gw.emulator.url);
  expect(res.text).not.toContain('127.0.0.1');
  expect(res.text).not.toMatch(/access_token|cgi-bin|\/sns\//i);
}

async function userInfo(gw: Gateway): Promise<GraphQLResult<unknown>> {
  const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
  return gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
}

describe('WeChat errcodes on a business call', () => {
  const fx = useGateway();

  it.each([
    [40003, 'BAD_USER_INPUT'],
    [40032, 'BAD_USER_INPUT'],
    [41009, 'BAD_USER_INPUT'],
    [45009, 'RATE_LIMITED'],
    [45011, 'RATE_LIMITED'],
    [-1, 'UPSTREAM_UNAVAILABLE'],
    [48001, 'UPSTREAM_MISCONFIGURED'],
    [40013, 'UPSTREAM_MISCONFIGURED'],
    [40164, 'UPSTREAM_MISCONFIGURED'],
    [89503, 'UPSTREAM_MISCONFIGURED'],
    [50002, 'UPSTREAM_REJECTED'],
    [99999, 'UPSTREAM_REJECTED'],
  ])('errcode %i → %s with extensions.wechat', async (errcode, code) => {
    fx.gw.emulator.failNext(BATCHGET_API, 3, { errcode });
    const res = await userInfo(fx.gw);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: expect.any(String),
        path: ['userInfo'],
        locations: expect.any(Array),
        extensions: { code, wechat: { errcode, rid: expect.stringMatching(/^[0-9a-f-]{26}$/) } },
      },
    ]);
    expectNothingSecret(fx.gw, res, { 'access token': await runToken(fx.gw) });
  });

  it.each([40001, 40014, 42001])(
    'errcode %i that persists after the one refresh-and-retry → UPSTREAM_UNAVAILABLE',
    async (errcode) => {
      fx.gw.emulator.failNext(BATCHGET_API, 5, { errcode });
      const res = await userInfo(fx.gw);
      expect(res.body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        wechat: { errcode, rid: expect.any(String) },
      });
      // At most one retry (only if the refresh brought a different token): never a loop.
      expect(fx.gw.emulator.calls(BATCHGET_API)).toBeLessThanOrEqual(2);
    },
  );

  it.each([
    [40029, 'BAD_USER_INPUT'],
    [40163, 'BAD_USER_INPUT'],
    [40030, 'BAD_USER_INPUT'],
    [41008, 'BAD_USER_INPUT'],
    [40125, 'UPSTREAM_MISCONFIGURED'],
    [40226, 'UPSTREAM_REJECTED'],
  ])('errcode %i on a code exchange → %s', async (errcode, code) => {
    const { code: oauthCode } = fx.gw.emulator.mintOAuthCode(fx.gw.official.appId, {
      scope: 'snsapi_base',
    });
    fx.gw.emulator.failNext(OAUTH_TOKEN_API, 1, { errcode });
    const res = await fx.gw.query(`{ openid(code: "${oauthCode}") { openid } }`);
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code,
      wechat: { errcode, rid: expect.any(String) },
    });
    expectNothingSecret(fx.gw, res, { 'OAuth code': oauthCode });
  });

  it('errcode 45011 on jscode2session → RATE_LIMITED', async () => {
    const { code } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    fx.gw.emulator.failNext(JSCODE2SESSION_API, 1, { errcode: 45011 });
    const res = await fx.gw.query(`{ openid(code: "${code}", app: "miniprogram") { openid } }`);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      wechat: { errcode: 45011 },
    });
    expectNothingSecret(fx.gw, res, { 'mini program login code': code });
  });

  it('logs upstream failures as warnings without secrets', async () => {
    fx.gw.emulator.failNext(BATCHGET_API, 1, { errcode: 40003 });
    const res = await userInfo(fx.gw);
    expect(fx.gw.logs.join('\n')).toContain('upstream failure returned to the client');
    expectNothingSecret(fx.gw, res, { 'access token': await runToken(fx.gw) });
  });
});

describe('token endpoint errcodes (circuit breaker)', () => {
  const fx = useGateway();

  it.each([
    [40125, 'UPSTREAM_MISCONFIGURED'],
    [40164, 'UPSTREAM_MISCONFIGURED'],
    [40013, 'UPSTREAM_MISCONFIGURED'],
    [40243, 'UPSTREAM_MISCONFIGURED'],
    [41002, 'UPSTREAM_MISCONFIGURED'],
    [41004, 'UPSTREAM_MISCONFIGURED'],
    [45009, 'RATE_LIMITED'],
  ])(
    'errcode %i while fetching the token → %s, then the breaker answers alone',
    async (errcode, code) => {
      fx.gw.emulator.failNext(STABLE_TOKEN_API, 1, { errcode });
      const first = await userInfo(fx.gw);
      expect(first.body.errors?.[0]?.extensions).toEqual({
        code,
        wechat: { errcode, rid: expect.stringMatching(/^[0-9a-f-]{26}$/) },
        retryAt: expect.any(String),
      });
      // No token was issued: the token endpoint failed from the start.
      expectNothingSecret(fx.gw, first);
      const tokenCalls = fx.gw.emulator.calls(STABLE_TOKEN_API);

      // The breaker is open: same answer, and the token endpoint is left alone.
      const second = await userInfo(fx.gw);
      expect(second.body.errors?.[0]?.extensions).toMatchObject({ code, wechat: { errcode } });
      expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(tokenCalls);

      const status = await fx.gw.query(
        '{ tokenStatus { quota { failures { errcode count } } breaker { open errcode reason until } } }',
        { headers: adminHeaders },
      );
      expect(status.body.data).toEqual({
        tokenStatus: {
          quota: { failures: [{ errcode, count: 1 }] },
          breaker: {
            open: true,
            errcode,
            reason: expect.stringMatching(/\S/),
            until: first.body.errors?.[0]?.extensions?.['retryAt'],
          },
        },
      });
    },
  );
});

describe('token endpoint failing with -1', () => {
  const fx = useGateway();

  it('→ UPSTREAM_UNAVAILABLE once the provider gives up', async () => {
    fx.gw.emulator.failNext(STABLE_TOKEN_API, 10, { errcode: -1 });
    const res = await userInfo(fx.gw);
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      wechat: { errcode: -1, rid: expect.any(String) },
      retryAt: expect.any(String),
    });
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
    expectNothingSecret(fx.gw, res);
  });
});

describe('token endpoint errcodes that do not open the breaker keep their row', () => {
  const fx = useGateway();

  it.each([
    [45011, 'RATE_LIMITED', "WeChat's per-minute limit was reached; retry in a minute."],
    [
      89503,
      'UPSTREAM_MISCONFIGURED',
      "WeChat waits for the account admin to confirm this server's IP address.",
    ],
    [
      48001,
      'UPSTREAM_MISCONFIGURED',
      'This app is not authorized for this WeChat API (account type or scope).',
    ],
  ])('errcode %i while fetching the token → %s', async (errcode, code, reason) => {
    fx.gw.emulator.failNext(STABLE_TOKEN_API, 10, { errcode });
    const res = await userInfo(fx.gw);
    expect(res.body.errors?.[0]).toMatchObject({
      message: `No valid access token: ${reason}`,
      extensions: {
        code,
        wechat: { errcode, rid: expect.stringMatching(/^[0-9a-f-]{26}$/) },
        retryAt: expect.any(String),
      },
    });
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);
    expectNothingSecret(fx.gw, res);
  });
});

describe('transport failures', () => {
  const failures: [string, GatewayOptions, (gw: Gateway) => void, string][] = [
    [
      'a timeout',
      { http: { headersTimeoutMs: 200, bodyTimeoutMs: 200 } },
      (gw) => gw.emulator.hangNext(BATCHGET_API, 5),
      'WeChat did not answer in time; retry shortly.',
    ],
    [
      'a dropped connection',
      {},
      (gw) => gw.emulator.resetNext(BATCHGET_API, 5),
      'WeChat could not be reached; retry shortly.',
    ],
  ];

  it.each(failures)('%s → UPSTREAM_UNAVAILABLE', async (_failure, options, fail, message) => {
    const gw = await startGateway(options);
    try {
      const token = await gw.official.tokens.getAccessToken();
      fail(gw);
      const res = await userInfo(gw);
      expect(res.body.errors?.[0]).toMatchObject({
        message,
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      });
      expectNothingSecret(gw, res, { 'access token': token.value });
    } finally {
      await gw.close();
    }
  });
});

/** A loopback proxy in front of the emulator that answers `path` with an HTML error page. */
async function startHtmlProxy(target: string, path: string): Promise<Upstream> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith(path)) {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      return;
    }
    const forwarded = httpRequest(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  return listenOnLoopback(server);
}

describe('an unreadable upstream body', () => {
  it('→ UPSTREAM_UNAVAILABLE without extensions.wechat', async () => {
    const gw = await startGateway({ upstream: (url) => startHtmlProxy(url, BATCHGET_API) });
    try {
      const res = await userInfo(gw);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: 'WeChat sent a response that could not be read; retry shortly.',
          path: ['userInfo'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        }),
      ]);
      // The token came through the proxy: only the business call was unreadable.
      expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
      expectNothingSecret(gw, res, { 'access token': await runToken(gw) });
    } finally {
      await gw.close();
    }
  });
});

describe("the gateway's own rows", () => {
  const fx = useGateway();

  it('GRAPHQL_VALIDATION_FAILED for an operation that does not match the schema', async () => {
    const res = await fx.gw.query('{ userInfo(openid: "o1") { nickname } }');
    expect(res.body).not.toHaveProperty('data');
    expect(codesOf(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('BAD_REQUEST (HTTP 400) for a malformed request', async () => {
    const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(codesOf(await res.json())).toEqual(['BAD_REQUEST']);
  });

  it('INTERNAL_SERVER_ERROR, masked, for anything unexpected; the details go to the log', async () => {
    const leaky = 'https://api.weixin.qq.com/cgi-bin/user/info?access_token=LEAKY-TOKEN';
    const official = fx.gw.official;
    const logs = captureLogs({ level: 'info' });
    const api = {
      ...official.api,
      batchGetUserInfo: () => Promise.reject(new Error(`bug at ${leaky}`)),
    };
    // User look-ups go through the app's batcher: one over the broken client.
    const users = createUserBatcher({
      api,
      cache: createUserCache({ ttlMs: 0, maxEntries: 0 }, fx.gw.clock),
      windowMs: 0,
    });
    const broken: GatewayApp = { ...official, api, users };
    const yoga = createApp({
      apps: [broken, fx.gw.mini],
      defaultApp: 'official',
      access: fx.gw.access,
      store: fx.gw.store,
      clock: fx.gw.clock,
      logger: logs.logger,
      graphiql: false,
    });
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceHeaders },
      body: JSON.stringify({ query: '{ userInfo(openid: "o1") { openid } }' }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      data: null,
      errors: [
        {
          message: 'Unexpected error.',
          locations: expect.any(Array),
          path: ['userInfo'],
          // Yoga uses `unexpected: true` internally and strips it from responses.
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    expect(text).not.toContain('LEAKY');
    expect(logs.text()).toMatch(
      /"level":50.*"path":"userInfo".*unexpected error \(masked for the client\)/,
    );
  });
});
