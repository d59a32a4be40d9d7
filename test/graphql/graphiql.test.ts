import { Kind, parse, print } from 'graphql';
import { graphiqlDefaultQuery } from '../../src/graphiql-examples.js';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, useGateway, type Gateway } from './harness.js';

const OPERATIONS = [
  'UserInfo',
  'Users',
  'Followers',
  'OpenidOfficial',
  'OpenidMiniProgram',
  'JsapiConfig',
  'AccessToken',
  'TokenStatus',
  'RefreshAccessToken',
  'ResetTokenBreaker',
];

async function graphiqlOptions(gw: Gateway): Promise<{ defaultQuery: string; headers?: string }> {
  const res = await gw.yoga.fetch('http://gateway.test/graphql', {
    headers: { accept: 'text/html' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  const html = await res.text();
  // Self-contained: the page must not depend on a CDN (offline machines, mainland China).
  expect(html).not.toMatch(/<script[^>]+src=["']?https?:|<link[^>]+href=["']?https?:/);
  expect(html).not.toContain('unpkg.com');
  // Fira Code's ligatures would draw `8x1` in an openid as `8×1`.
  expect(html).toContain('font-variant-ligatures: none');
  const match =
    /renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*\}),\s*\);\s*<\/script>/s.exec(
      html,
    );
  if (!match?.[1]) throw new Error('GraphiQL options not found in the page');
  return JSON.parse(match[1]);
}

function operationNames(document: string): string[] {
  return parse(document).definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
  );
}

describe('GraphiQL in sandbox mode', () => {
  const fx = useGateway({ sandbox: true });

  it('is served on GET /graphql with an example for every field', async () => {
    const options = await graphiqlOptions(fx.gw);
    expect(operationNames(options.defaultQuery)).toEqual(OPERATIONS);
    expect(options.defaultQuery).toContain('"Authorization": "Bearer <ADMIN_API_KEY>"');
    expect(options.defaultQuery).toContain('http://gateway.test/sandbox/oauth-code');
  });

  it('runs every example operation as it is and gets data back', async () => {
    const { defaultQuery } = await graphiqlOptions(fx.gw);
    for (const operationName of OPERATIONS) {
      const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query: defaultQuery, operationName }),
      });
      const body = await res.json();
      expect({ operationName, body }).toEqual({
        operationName,
        body: { data: expect.any(Object) },
      });
    }
  });

  it('mints OAuth codes over GET and POST', async () => {
    const viaGet = await fx.gw.yoga.fetch(
      'http://gateway.test/sandbox/oauth-code?scope=snsapi_base',
    );
    expect(viaGet.status).toBe(200);
    const minted: { code: string; openid: string; app: string; scope: string } =
      await viaGet.json();
    expect(minted).toMatchObject({ app: 'official', scope: 'snsapi_base' });
    const res = await fx.gw.query(`{ openid(code: "${minted.code}") { openid scope } }`);
    expect(res.body).toEqual({ data: { openid: { openid: minted.openid, scope: 'snsapi_base' } } });

    const viaPost = await fx.gw.yoga.fetch('http://gateway.test/sandbox/oauth-code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'snsapi_userinfo', openid: minted.openid }),
    });
    expect(await viaPost.json()).toMatchObject({
      openid: minted.openid,
      scope: 'snsapi_userinfo',
      expiresInSeconds: 300,
    });
  });

  it('mints mini program codes for the mini program app', async () => {
    const res = await fx.gw.yoga.fetch('http://gateway.test/sandbox/js-code', { method: 'POST' });
    const minted: { code: string; openid: string; app: string } = await res.json();
    expect(minted.app).toBe('miniprogram');
    const login = await fx.gw.query(
      `{ openid(code: "${minted.code}", app: "miniprogram") { openid } }`,
    );
    expect(login.body).toEqual({ data: { openid: { openid: minted.openid } } });
  });

  it.each([
    ['/sandbox/oauth-code?scope=snsapi_login', '"scope" must be snsapi_base or snsapi_userinfo'],
    [
      '/sandbox/oauth-code?app=shop',
      'Unknown app "shop". Configured apps: "official", "miniprogram".',
    ],
    ['/sandbox/js-code?app=official', 'this code needs a mini program; pass "app" naming one'],
  ])('answers %s with 400', async (path, error) => {
    const res = await fx.gw.yoga.fetch(`http://gateway.test${path}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });
});

describe('GraphiQL outside sandbox mode', () => {
  const fx = useGateway();

  it('uses placeholders and has no sandbox routes', async () => {
    const options = await graphiqlOptions(fx.gw);
    expect(options.defaultQuery).toContain('Without it they fail with UNAUTHENTICATED');
    expect(operationNames(options.defaultQuery)).toEqual(OPERATIONS);
    expect(options.defaultQuery).not.toContain('/sandbox/');
    expect(options.headers).toBeUndefined();
    const res = await fx.gw.yoga.fetch('http://gateway.test/sandbox/oauth-code');
    expect(res.status).toBe(404);
  });
});

describe('GraphiQL turned off', () => {
  const fx = useGateway({ graphiql: false });

  it('is not served, and introspection is off with it', async () => {
    const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(await res.text()).not.toContain('renderYogaGraphiQL');
    const introspection = await fx.gw.query('{ __schema { queryType { name } } }');
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe('graphiqlDefaultQuery', () => {
  it('names the official account in official-only examples when it is not the default app', () => {
    const document = parse(
      graphiqlDefaultQuery({ openids: [], officialApp: 'shop', miniProgram: { app: 'mini' } }),
    );
    const appArguments = document.definitions.flatMap((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
      const [field] = definition.selectionSet.selections;
      if (field?.kind !== Kind.FIELD) return [];
      const app = field.arguments?.find((argument) => argument.name.value === 'app');
      return [`${definition.name?.value}:${app ? print(app.value) : '-'}`];
    });
    expect(appArguments).toEqual([
      'UserInfo:"shop"',
      'Users:"shop"',
      'Followers:"shop"',
      'OpenidOfficial:"shop"',
      'OpenidMiniProgram:"mini"',
      'JsapiConfig:"shop"',
      'AccessToken:-',
      'TokenStatus:-',
      'RefreshAccessToken:-',
      'ResetTokenBreaker:-',
    ]);
  });
});

describe('GraphiQL in a sandbox with a generated admin key', () => {
  const fx = useGateway({ sandbox: true, sandboxAdminKey: ADMIN_KEY });

  it('pre-fills the key in the Headers tab and says so', async () => {
    const options = await graphiqlOptions(fx.gw);
    expect(JSON.parse(options.headers ?? '{}')).toEqual({ Authorization: `Bearer ${ADMIN_KEY}` });
    expect(options.defaultQuery).toContain('already carries a throw-away key');
    expect(options.defaultQuery).not.toContain('Without it they fail');
  });
});
