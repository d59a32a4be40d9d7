/**
 * Every cell of the README's access table, field × caller, with its exact code and HTTP status:
 * anonymous, session, service and admin callers, plus a credential that proves nothing (which
 * is never taken for anonymous). A refused operation gets the error alone: no data, nothing sent
 * upstream. The table below must name every root field of the schema with its declared rule.
 */
import { describe, expect, it } from 'vitest';
import {
  Kind,
  parse,
  print,
  type ArgumentNode,
  type OperationDefinitionNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { createSchema } from 'graphql-yoga';
import { loadTypeDefs } from '../../src/app/app.js';
import { readAccessRules, rootTypes, type AccessLevel } from '../../src/auth/access-rules.js';
import { resolvers } from '../../src/resolvers/index.js';
import {
  ADMIN_KEY,
  codesOf,
  SERVICE_KEY,
  useGateway,
  type As,
  type Gateway,
  type GraphQLBody,
} from '../support/harness.js';
import { ENDPOINTS } from '../../src/wechat/endpoints.js';
import {
  massInput,
  MP_SUBSCRIBE_TEMPLATE,
  miniSubscribeInput,
  NEWS_MEDIA,
  TEMPLATE_ID,
} from '../support/operations.js';
import { loginMini, loginOfficial } from '../support/sessions.js';

type CallerKind = 'anonymous' | 'session' | 'service' | 'admin';

interface FieldCase {
  level: AccessLevel;
  /** A fresh operation selecting the field (codes are single-use). */
  operation(gw: Gateway): string | Promise<string>;
  /** The app whose user the session belongs to (default: the official account). */
  sessionApp?: 'miniprogram';
  /** A subscription: asked over SSE, as clients do. */
  subscription?: true;
}

let unique = 0;
const json = (value: unknown) => JSON.stringify(value).replace(/"([A-Za-z]+)":/g, '$1:');
/** A GraphQL input literal (enum values unquoted). */
const literal = (value: unknown, enums: readonly string[] = []) =>
  enums.reduce((text, name) => text.replaceAll(`"${name}"`, name), json(value));

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
  sendTemplateMessage: {
    level: 'SERVICE',
    operation: (gw) =>
      `mutation { sendTemplateMessage(input: { openid: "${follower(gw)}", templateId: "${TEMPLATE_ID}", data: [{ key: "keyword1", value: "x" }] }) { msgId } }`,
  },
  sendSubscribeMessage: {
    level: 'SERVICE',
    operation: (gw) => {
      const { openid } = gw.emulator.mintJsCode(gw.mini.appId);
      gw.emulator.grantSubscribeConsent(gw.mini.appId, {
        openid,
        templateId: MP_SUBSCRIBE_TEMPLATE,
      });
      return `mutation { sendSubscribeMessage(app: "miniprogram", input: ${literal(miniSubscribeInput(openid))}) { msgId } }`;
    },
  },
  massSend: {
    level: 'SERVICE',
    operation: () =>
      `mutation { massSend(input: ${literal(massInput(`access-${(unique += 1)}`), ['TEXT'])}) { msgId } }`,
  },
  massPreview: {
    level: 'SERVICE',
    operation: (gw) =>
      `mutation { massPreview(input: { openid: "${follower(gw)}", message: { type: TEXT, text: "hi" } }) { msgId } }`,
  },
  massStatus: {
    level: 'SERVICE',
    operation: async (gw) => `{ massStatus(msgId: "${await newsJob(gw)}") { status } }`,
  },
  massDelete: {
    level: 'SERVICE',
    operation: async (gw) => `mutation { massDelete(msgId: "${await newsJob(gw)}") }`,
  },
  createQrCode: {
    level: 'SERVICE',
    operation: () =>
      'mutation { createQrCode(input: { scene: { id: 7 }, expiresIn: 600 }) { ticket } }',
  },
  miniProgramCode: {
    level: 'SERVICE',
    operation: () =>
      '{ miniProgramCode(app: "miniprogram", input: { scene: "a=1" }) { contentType } }',
  },
  miniProgramLink: {
    level: 'SERVICE',
    operation: () =>
      'mutation { miniProgramLink(app: "miniprogram", input: { kind: URL_LINK }) { url } }',
  },
  phoneNumber: {
    level: 'SESSION_OR_SERVICE',
    sessionApp: 'miniprogram',
    operation: (gw) => {
      // The session's own user (the last wx.login of the mini program) taps the button.
      const { code } = gw.emulator.mintPhoneCode(gw.mini.appId, { openid: lastMiniUser });
      return `{ phoneNumber(code: "${code}", app: "miniprogram") { phoneNumber } }`;
    },
  },
  tags: { level: 'SERVICE', operation: () => '{ tags { id name } }' },
  usersByTag: { level: 'SERVICE', operation: () => '{ usersByTag(tagId: 100) { totalCount } }' },
  createTag: {
    level: 'SERVICE',
    operation: () => `mutation { createTag(name: "tag-${(unique += 1)}") { id } }`,
  },
  renameTag: {
    level: 'SERVICE',
    operation: () => `mutation { renameTag(tagId: 101, name: "renamed-${(unique += 1)}") { id } }`,
  },
  deleteTag: { level: 'SERVICE', operation: () => 'mutation { deleteTag(tagId: 103) }' },
  tagUsers: {
    level: 'SERVICE',
    operation: (gw) => `mutation { tagUsers(tagId: 100, openids: ["${follower(gw)}"]) }`,
  },
  untagUsers: {
    level: 'SERVICE',
    operation: (gw) => `mutation { untagUsers(tagId: 100, openids: ["${follower(gw)}"]) }`,
  },
  setUserRemark: {
    level: 'SERVICE',
    operation: (gw) => `mutation { setUserRemark(openid: "${follower(gw)}", remark: "VIP") }`,
  },
  events: { level: 'SERVICE', operation: () => '{ events { nodes { id } } }' },
  wechatEvents: {
    level: 'SERVICE',
    operation: () => 'subscription { wechatEvents { id } }',
    subscription: true,
  },
};

/** A mass send of news, made with the service key, for the fields that need a job. */
async function newsJob(gw: Gateway): Promise<string> {
  const input = massInput(`job-${(unique += 1)}`, {
    message: { type: 'MPNEWS', mediaId: NEWS_MEDIA },
  });
  const res = await gw.query<{ massSend: { msgId: string } }>(
    `mutation { massSend(input: ${literal(input, ['MPNEWS'])}) { msgId } }`,
  );
  return res.body.data?.massSend.msgId ?? '';
}

/** The user of the last mini program session a cell logged in (phoneNumber is for its own user). */
let lastMiniUser: string | undefined;

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
  variables?: Record<string, unknown>,
): Promise<Answer> {
  const controller = new AbortController();
  const res = await gw.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: operation, variables }),
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

/**
 * Asks `operation` (the field's, built first by the caller: building one may itself call WeChat,
 * e.g. a mass job to look at) as `credential`, over SSE for a subscription.
 */
async function ask(
  gw: Gateway,
  field: string,
  operation: string,
  credential: As,
  headers?: Record<string, string>,
  variables?: Record<string, unknown>,
): Promise<Answer> {
  const fieldCase = FIELDS[field];
  if (!fieldCase?.subscription) return gw.query(operation, { as: credential, headers, variables });
  const authorization =
    credential === 'service'
      ? `Bearer ${SERVICE_KEY}`
      : credential === 'admin'
        ? `Bearer ${ADMIN_KEY}`
        : typeof credential === 'object'
          ? `Bearer ${credential.token}`
          : undefined;
  return subscribe(
    gw,
    operation,
    { ...(authorization ? { authorization } : {}), ...headers },
    variables,
  );
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
  SESSION_OR_SERVICE: { anonymous: 'UNAUTHENTICATED', session: 'ok', service: 'ok', admin: 'ok' },
  ADMIN: { anonymous: 'UNAUTHENTICATED', session: 'FORBIDDEN', service: 'FORBIDDEN', admin: 'ok' },
};

const CALLERS: CallerKind[] = ['anonymous', 'session', 'service', 'admin'];
const HTTP_STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/** Upstream calls of every kind so far (a refused operation must not add any). */
const UPSTREAM_PATHS = ENDPOINTS.map((endpoint) => endpoint.path);
const upstreamCalls = (gw: Gateway) =>
  UPSTREAM_PATHS.reduce((sum, path) => sum + gw.emulator.calls(path), 0);

async function as(gw: Gateway, caller: CallerKind, sessionApp?: 'miniprogram'): Promise<As> {
  if (caller !== 'session') return caller;
  if (sessionApp === 'miniprogram') {
    const logged = await loginMini(gw);
    lastMiniUser = logged.openid;
    return { token: logged.token };
  }
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
    const credential = await as(fx.gw, caller, FIELDS[field]?.sessionApp);
    const operation = (await FIELDS[field]?.operation(fx.gw)) ?? '';
    const before = upstreamCalls(fx.gw);
    const res = await ask(fx.gw, field, operation, credential);
    if (outcome === 'ok') {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      // The field's own answer: an object (or `logout`'s true), never a null in its place.
      expect(res.body.data?.[field] ?? null).not.toBeNull();
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
      const operation = (await FIELDS[field]?.operation(fx.gw)) ?? '';
      for (const authorization of [
        'Bearer not-a-key-and-not-a-session',
        `Bearer ${SERVICE_KEY}x`,
        `Basic ${ADMIN_KEY}`,
        'Bearer ',
      ]) {
        const res = await ask(fx.gw, field, operation, 'anonymous', { authorization });
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
    'sendTemplateMessage',
    'phoneNumber',
  ])('%s is disabled: FORBIDDEN for anonymous callers too, never open', async (field) => {
    const operation = (await FIELDS[field]?.operation(fx.gw)) ?? '';
    const res = await fx.gw.query(operation, { as: 'anonymous' });
    expect(res.status).toBe(403);
    expect(codesOf(res.body)).toEqual(['FORBIDDEN']);
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`^"${field}" is disabled: `));
  });

  it('turns login off with a message saying what to set', async () => {
    const operation = (await FIELDS['login']?.operation(fx.gw)) ?? '';
    const res = await fx.gw.query(operation, { as: 'anonymous' });
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

/**
 * How an operation names the app: a literal, a variable the request sends, or a variable left
 * out whose definition has a default (which execution applies: `$a` is then the default).
 */
type AppGiven = 'literal' | 'sent variable' | 'defaulted variable';

/** Every root field with an `app` argument, read from the schema. */
const FIELDS_WITH_APP = rootTypes(createSchema({ typeDefs: loadTypeDefs(), resolvers })).flatMap(
  (type) =>
    Object.values(type.getFields())
      .filter((field) => field.args.some((arg) => arg.name === 'app'))
      .map((field) => field.name),
);

/** `operation` with its root field `field` asked for `app`, given the way `how` says. */
function askingFor(
  operation: string,
  field: string,
  app: string,
  how: AppGiven,
): { query: string; variables?: Record<string, unknown> } {
  const document = parse(operation);
  const [definition] = document.definitions as OperationDefinitionNode[];
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const variable = { kind: Kind.VARIABLE, name: name('askedApp') } as const;
  const literal = { kind: Kind.STRING, value: app } as const;
  const value: ValueNode = how === 'literal' ? literal : variable;
  const declared: VariableDefinitionNode[] =
    how === 'literal'
      ? []
      : [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable,
            type: { kind: Kind.NAMED_TYPE, name: name('String') },
            ...(how === 'defaulted variable' ? { defaultValue: literal } : {}),
          },
        ];
  const argument: ArgumentNode = { kind: Kind.ARGUMENT, name: name('app'), value };
  const selections = definition.selectionSet.selections.map((selection) =>
    selection.kind === Kind.FIELD && selection.name.value === field
      ? {
          ...selection,
          arguments: [
            ...(selection.arguments ?? []).filter((arg) => arg.name.value !== 'app'),
            argument,
          ],
        }
      : selection,
  );
  const edited: OperationDefinitionNode = {
    ...definition,
    variableDefinitions: [...(definition.variableDefinitions ?? []), ...declared],
    selectionSet: { ...definition.selectionSet, selections },
  };
  return {
    query: print({ ...document, definitions: [edited] }),
    ...(how === 'sent variable' ? { variables: { askedApp: app } } : {}),
  };
}

describe('a session acts for its own app only', () => {
  const fx = useGateway();
  const ways: AppGiven[] = ['literal', 'sent variable', 'defaulted variable'];

  it('covers every root field with an `app` argument, read from the schema', () => {
    expect(FIELDS_WITH_APP.length).toBeGreaterThanOrEqual(20);
    expect(FIELDS_WITH_APP).toEqual(expect.arrayContaining(['me', 'phoneNumber', 'login']));
    for (const field of FIELDS_WITH_APP) expect(Object.keys(FIELDS)).toContain(field);
  });

  it.each(FIELDS_WITH_APP.flatMap((field) => ways.map((how) => [field, how] as const)))(
    '%s asked for the other app by a %s → FORBIDDEN, nothing sent upstream',
    async (field, how) => {
      for (const [own, other] of [
        ['official', 'miniprogram'],
        ['miniprogram', 'official'],
      ] as const) {
        const token = own === 'official' ? await loginOfficial(fx.gw) : await loginMini(fx.gw);
        if (own === 'miniprogram') lastMiniUser = token.openid;
        const operation = (await FIELDS[field]?.operation(fx.gw)) ?? '';
        const { query, variables } = askingFor(operation, field, other, how);
        const before = upstreamCalls(fx.gw);
        const res = await ask(fx.gw, field, query, { token: token.token }, undefined, variables);
        expect(res.status, `${own} session: ${query}`).toBe(403);
        expect(res.body).not.toHaveProperty('data');
        expect(codesOf(res.body)).toEqual(['FORBIDDEN']);
        expect(upstreamCalls(fx.gw)).toBe(before);
      }
    },
  );

  it('refuses the reported attack: an official account session, phoneNumber, `$a` defaulting to the mini program', async () => {
    const { token } = await loginOfficial(fx.gw);
    const { code } = fx.gw.emulator.mintPhoneCode(fx.gw.mini.appId, {
      openid: (await loginMini(fx.gw)).openid,
    });
    const res = await fx.gw.query(
      `query ($a: String = "miniprogram") { phoneNumber(code: "${code}", app: $a) { phoneNumber } }`,
      { as: { token } },
    );
    expect(res.body).toEqual({
      errors: [
        {
          message:
            'This session belongs to app "official"; "phoneNumber" was asked for app "miniprogram".',
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(fx.gw.emulator.calls('/wxa/business/getuserphonenumber')).toBe(0);
  });

  it('lets a session name its own app in every way, and a variable default overridden by its own app', async () => {
    const mini = await loginMini(fx.gw);
    for (const how of ways) {
      const { query, variables } = askingFor('{ me { openid } }', 'me', 'miniprogram', how);
      const res = await fx.gw.query(query, { as: { token: mini.token }, variables });
      expect(res.body).toEqual({ data: { me: { openid: mini.openid } } });
    }
    const overridden = await fx.gw.query(
      'query ($a: String = "official") { me(app: $a) { openid } }',
      { as: { token: mini.token }, variables: { a: 'miniprogram' } },
    );
    expect(overridden.body).toEqual({ data: { me: { openid: mini.openid } } });
  });
});
