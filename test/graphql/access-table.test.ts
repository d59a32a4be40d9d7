/**
 * Every cell of the README's access table, field × caller, with its exact code and HTTP status:
 * anonymous, session, service and admin callers, plus a credential that proves nothing (which
 * is never taken for anonymous). A refused operation gets the error alone: no data, nothing sent
 * upstream. The table below must name every root field of the schema with its declared rule.
 */
import { describe, expect, it } from 'vitest';
import { createSchema } from 'graphql-yoga';
import { loadTypeDefs } from '../../src/app.js';
import { readAccessRules, type AccessLevel } from '../../src/auth/access-rules.js';
import { resolvers } from '../../src/resolvers/index.js';
import {
  ADMIN_KEY,
  codesOf,
  SERVICE_KEY,
  useGateway,
  type As,
  type Gateway,
  type GraphQLBody,
} from './harness.js';
import { loginOfficial } from './sessions.js';

type CallerKind = 'anonymous' | 'session' | 'service' | 'admin';

interface FieldCase {
  level: AccessLevel;
  /** A fresh operation selecting the field (codes are single-use). */
  operation(gw: Gateway): string;
  /** A subscription: asked over SSE, as clients do. */
  subscription?: true;
}

const follower = (gw: Gateway) => gw.emulator.followerOpenids(gw.official.appId)[0] ?? '';
const oauthCode = (gw: Gateway) =>
  gw.emulator.mintOAuthCode(gw.official.appId, { scope: 'snsapi_base', openid: follower(gw) }).code;

const FIELDS: Record<string, FieldCase> = {
  login: {
    level: 'PUBLIC',
    operation: (gw) => `mutation { login(code: "${oauthCode(gw)}") { openid } }`,
  },
  jsapiConfig: {
    level: 'PUBLIC',
    operation: () => '{ jsapiConfig(url: "https://shop.example.com/") { signature } }',
  },
  me: { level: 'SESSION', operation: () => '{ me { openid } }' },
  logout: { level: 'SESSION', operation: () => 'mutation { logout }' },
  userInfo: {
    level: 'SERVICE',
    operation: (gw) => `{ userInfo(openid: "${follower(gw)}") { openid } }`,
  },
  users: {
    level: 'SERVICE',
    operation: (gw) => `{ users(openids: ["${follower(gw)}"]) { openid } }`,
  },
  followers: { level: 'SERVICE', operation: () => '{ followers(first: 2) { totalCount } }' },
  openid: {
    level: 'SERVICE',
    operation: (gw) => `{ openid(code: "${oauthCode(gw)}") { openid } }`,
  },
  accessToken: { level: 'ADMIN', operation: () => '{ accessToken { mode } }' },
  tokenStatus: { level: 'ADMIN', operation: () => '{ tokenStatus { app } }' },
  refreshAccessToken: {
    level: 'ADMIN',
    operation: () => 'mutation { refreshAccessToken { mode } }',
  },
  resetTokenBreaker: {
    level: 'ADMIN',
    operation: () => 'mutation { resetTokenBreaker { app } }',
  },
  events: { level: 'SERVICE', operation: () => '{ events { nodes { id } } }' },
  wechatEvents: {
    level: 'SERVICE',
    operation: () => 'subscription { wechatEvents { id } }',
    subscription: true,
  },
};

interface Answer {
  status: number;
  headers: Headers;
  body: GraphQLBody<Record<string, unknown>>;
}

/**
 * A subscription over SSE: a refusal comes as one `next` event holding the errors (with the
 * refusal's HTTP status); an accepted one is an open stream, closed here at once.
 */
async function subscribe(
  gw: Gateway,
  operation: string,
  headers: Record<string, string>,
): Promise<Answer> {
  const controller = new AbortController();
  const res = await gw.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: operation }),
    signal: controller.signal,
  });
  if (res.status === 200) {
    controller.abort();
    return { status: 200, headers: res.headers, body: { data: { wechatEvents: 'stream open' } } };
  }
  const text = await res.text();
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? '{}';
  return { status: res.status, headers: res.headers, body: JSON.parse(data) };
}

async function ask(
  gw: Gateway,
  field: string,
  credential: As,
  headers?: Record<string, string>,
): Promise<Answer> {
  const fieldCase = FIELDS[field];
  const operation = fieldCase?.operation(gw) ?? '';
  if (!fieldCase?.subscription) return gw.query(operation, { as: credential, headers });
  const authorization =
    credential === 'service'
      ? `Bearer ${SERVICE_KEY}`
      : credential === 'admin'
        ? `Bearer ${ADMIN_KEY}`
        : typeof credential === 'object'
          ? `Bearer ${credential.token}`
          : undefined;
  return subscribe(gw, operation, { ...(authorization ? { authorization } : {}), ...headers });
}

type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** The access table of the README, by rule. */
const TABLE: Record<AccessLevel, Record<CallerKind, Outcome>> = {
  PUBLIC: { anonymous: 'ok', session: 'ok', service: 'ok', admin: 'ok' },
  SESSION: {
    anonymous: 'UNAUTHENTICATED',
    session: 'ok',
    service: 'FORBIDDEN',
    admin: 'FORBIDDEN',
  },
  SERVICE: { anonymous: 'UNAUTHENTICATED', session: 'FORBIDDEN', service: 'ok', admin: 'ok' },
  ADMIN: { anonymous: 'UNAUTHENTICATED', session: 'FORBIDDEN', service: 'FORBIDDEN', admin: 'ok' },
};

const CALLERS: CallerKind[] = ['anonymous', 'session', 'service', 'admin'];
const HTTP_STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/** Upstream calls of every kind so far (a refused operation must not add any). */
const UPSTREAM_PATHS = [
  '/sns/oauth2/access_token',
  '/cgi-bin/stable_token',
  '/cgi-bin/user/info/batchget',
  '/cgi-bin/user/get',
  '/cgi-bin/ticket/getticket',
];
const upstreamCalls = (gw: Gateway) =>
  UPSTREAM_PATHS.reduce((sum, path) => sum + gw.emulator.calls(path), 0);

async function as(gw: Gateway, caller: CallerKind): Promise<As> {
  if (caller !== 'session') return caller;
  return { token: (await loginOfficial(gw)).token };
}

const cells = Object.entries(FIELDS).flatMap(([field, { level }]) =>
  CALLERS.map((caller) => [field, caller, TABLE[level][caller]] as const),
);

describe('the access table', () => {
  const fx = useGateway();

  it('names every root field of the schema with the rule declared next to it', () => {
    const schema = createSchema({ typeDefs: loadTypeDefs(), resolvers });
    const declared = [...readAccessRules(schema).values()].flatMap((fields) => [...fields]);
    expect(Object.fromEntries(declared)).toEqual(
      Object.fromEntries(Object.entries(FIELDS).map(([field, { level }]) => [field, level])),
    );
  });

  it.each(cells)('%s × %s → %s', async (field, caller, outcome) => {
    const credential = await as(fx.gw, caller);
    const before = upstreamCalls(fx.gw);
    const res = await ask(fx.gw, field, credential);
    if (outcome === 'ok') {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.[field]).toBeDefined();
      return;
    }
    expect(res.status).toBe(HTTP_STATUS[outcome]);
    expect(res.body).not.toHaveProperty('data');
    expect(codesOf(res.body)).toEqual([outcome]);
    expect(upstreamCalls(fx.gw)).toBe(before);
  });

  it.each(Object.keys(FIELDS))(
    '%s with a credential that proves nothing → UNAUTHENTICATED, never anonymous',
    async (field) => {
      for (const authorization of [
        'Bearer not-a-key-and-not-a-session',
        `Bearer ${SERVICE_KEY}x`,
        `Basic ${ADMIN_KEY}`,
        'Bearer ',
      ]) {
        const res = await ask(fx.gw, field, 'anonymous', { authorization });
        expect(res.status).toBe(401);
        expect(res.body).not.toHaveProperty('data');
        expect(res.body.errors).toEqual([
          {
            message: expect.stringMatching(
              /^The Authorization header does not hold a valid credential/,
            ),
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ]);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="wechat-graphql-gateway"');
      }
    },
  );

  it.each([
    ['anonymous', 401],
    ['session', 403],
    ['service', 403],
    ['admin', 200],
  ] as const)('GET /metrics × %s → HTTP %i', async (caller, status) => {
    const credential = await as(fx.gw, caller);
    const headers: Record<string, string> = {};
    if (typeof credential === 'object') headers['authorization'] = `Bearer ${credential.token}`;
    if (credential === 'service') headers['authorization'] = `Bearer ${SERVICE_KEY}`;
    if (credential === 'admin') headers['authorization'] = `Bearer ${ADMIN_KEY}`;
    const res = await fx.gw.yoga.fetch('http://gateway.test/metrics', { headers });
    expect(res.status).toBe(status);
  });

  it.each(CALLERS)('introspection × %s → data (introspection is on here)', async (caller) => {
    const res = await fx.gw.query('{ __schema { queryType { name } } }', {
      as: await as(fx.gw, caller),
    });
    expect(res.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('reports each refused field of one operation, and runs none of them', async () => {
    const res = await fx.gw.query(
      `{ me { openid } followers { totalCount } tokenStatus { app } jsapiConfig(url: "https://a.example.com/") { url } }`,
      { as: 'anonymous' },
    );
    expect(res.status).toBe(401);
    expect(res.body.errors?.map((error) => error.message)).toEqual([
      '"me" needs a session: log in with the `login` mutation, then send "Authorization: Bearer <token>".',
      '"followers" needs a service key: send "Authorization: Bearer <SERVICE_API_KEY>".',
      '"tokenStatus" needs the admin key: send "Authorization: Bearer <ADMIN_API_KEY>".',
    ]);
    expect(upstreamCalls(fx.gw)).toBe(0);
  });
});

describe('fields whose kind of credential the server does not accept', () => {
  const fx = useGateway({ adminApiKey: null, access: { serviceApiKeys: [], sessionSecrets: [] } });

  it.each([
    'me',
    'logout',
    'userInfo',
    'users',
    'followers',
    'openid',
    'accessToken',
    'tokenStatus',
  ])('%s is disabled: FORBIDDEN for anonymous callers too, never open', async (field) => {
    const res = await fx.gw.query(FIELDS[field]?.operation(fx.gw) ?? '', { as: 'anonymous' });
    expect(res.status).toBe(403);
    expect(codesOf(res.body)).toEqual(['FORBIDDEN']);
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`^"${field}" is disabled: `));
  });

  it('turns login off with a message saying what to set', async () => {
    const res = await fx.gw.query(FIELDS['login']?.operation(fx.gw) ?? '', { as: 'anonymous' });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'Login is disabled: the server has no SESSION_SECRET configured.',
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
    expect(fx.gw.emulator.calls('/sns/oauth2/access_token')).toBe(0);
  });

  it('lets the admin key reach service fields when no service key is set', async () => {
    const gw = fx.gw.instance({ adminApiKey: ADMIN_KEY });
    const res = await gw.query('{ followers(first: 1) { totalCount } }', { as: 'admin' });
    expect(res.body).toEqual({ data: { followers: { totalCount: 300 } } });
    const anonymous = await gw.query('{ followers(first: 1) { totalCount } }', {
      as: 'anonymous',
    });
    expect(codesOf(anonymous.body)).toEqual(['UNAUTHENTICATED']);
  });
});
