import { runInNewContext } from 'node:vm';
import { Kind, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphiqlTabs, MAX_OPERATIONS_PER_TAB } from '../../src/graphiql/examples.js';
import {
  GRAPHIQL_SESSION_HELPER,
  LOGIN_TOKEN_PLACEHOLDER,
} from '../../src/graphiql/session-helper.js';
import { subscribeSse } from '../events/helpers.js';
import { GRAPHIQL_TAB_OPERATIONS, GRAPHIQL_TAB_TITLES } from '../support/graphiql-tabs.js';
import { ADMIN_KEY, SERVICE_KEY, useGateway, type Gateway } from '../support/harness.js';

/** The operations of each tab, in order: anonymous, session, service by family, admin. */
const TABS = GRAPHIQL_TAB_OPERATIONS;

interface Tab {
  title: string;
  query: string;
  headers: string | null;
}

async function graphiqlPage(gw: Gateway): Promise<{ html: string; tabs: Tab[] }> {
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
  const match = /const options = (\{.*\});\n/.exec(html);
  if (!match?.[1]) throw new Error('GraphiQL options not found in the page');
  const options: { defaultTabs: Tab[] } = JSON.parse(match[1]);
  return { html, tabs: options.defaultTabs };
}

function operationNames(document: string): string[] {
  return parse(document).definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
  );
}

/**
 * The subscription example runs until stopped: it is opened over SSE, the sandbox route it names
 * makes a user tap a menu, and the event must arrive on it.
 */
async function runSubscriptionExample(
  gw: Gateway,
  document: string,
  headers: Record<string, string>,
): Promise<void> {
  const menuRoute = /http:\/\/gateway\.test(\/sandbox\/events\/menu-click\?key=\w+)/.exec(document);
  expect(menuRoute?.[1]).toBeDefined();
  const sub = await subscribeSse(
    gw.yoga.fetch,
    'http://gateway.test/graphql',
    document,
    headers,
    undefined,
    'WechatEvents',
  );
  try {
    const pushed = await gw.yoga.fetch(`http://gateway.test${menuRoute?.[1] ?? ''}`);
    expect(await pushed.json()).toMatchObject({ pushed: 'menu-click', delivered: true });
    expect(await sub.next()).toEqual({
      data: {
        wechatEvents: expect.objectContaining({
          __typename: 'MenuClickEvent',
          key: 'V1001_TODAY_MUSIC',
        }),
      },
    });
  } finally {
    await sub.close();
  }
}

const headersOf = (tab: Tab | undefined): Record<string, string> =>
  tab?.headers ? JSON.parse(tab.headers) : {};

describe('GraphiQL in sandbox mode', () => {
  const fx = useGateway({ sandbox: true, sandboxKeys: { service: SERVICE_KEY, admin: ADMIN_KEY } });

  it('is served on GET /graphql with one tab per kind of caller and an example for every field', async () => {
    const { tabs, html } = await graphiqlPage(fx.gw);
    expect(tabs.map((tab) => operationNames(tab.query))).toEqual(TABS);
    expect(tabs.map((tab) => tab.title)).toEqual(GRAPHIQL_TAB_TITLES);
    expect(tabs.map(headersOf)).toEqual([
      {},
      { Authorization: `Bearer ${LOGIN_TOKEN_PLACEHOLDER}` },
      ...Array.from({ length: 5 }, () => ({ Authorization: `Bearer ${SERVICE_KEY}` })),
      { Authorization: `Bearer ${ADMIN_KEY}` },
    ]);
    // GraphiQL's run menu shows every operation of a tab at once.
    expect(Math.max(...TABS.map((operations) => operations.length))).toBeLessThanOrEqual(
      MAX_OPERATIONS_PER_TAB,
    );
    expect(tabs[0]?.query).toContain('http://gateway.test/sandbox/oauth-code');
    expect(tabs[2]?.query).toContain('throw-away key generated at start-up');
    expect(html).toContain(GRAPHIQL_SESSION_HELPER);
  });

  it('is stored by no cache: its tabs carry the throw-away keys', async () => {
    const page = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(page.headers.get('cache-control')).toBe('no-store, private');
  });

  it('runs every example as it is, login → me with the new token included', async () => {
    const { tabs } = await graphiqlPage(fx.gw);
    let token: string | undefined;
    let loggedIn: string | undefined;
    for (const [index, tab] of tabs.entries()) {
      for (const operationName of TABS[index] ?? []) {
        // What the page's helper does with the placeholder.
        const headers = Object.fromEntries(
          Object.entries(headersOf(tab)).map(([name, value]) => [
            name.toLowerCase(),
            value.replace(LOGIN_TOKEN_PLACEHOLDER, token ?? ''),
          ]),
        );
        if (operationName === 'WechatEvents') {
          await runSubscriptionExample(fx.gw, tab.query, headers);
          continue;
        }
        const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: tab.query, operationName }),
        });
        const body = await res.json();
        expect({ operationName, body }).toEqual({
          operationName,
          body: { data: expect.any(Object) },
        });
        if (operationName === 'Login') {
          token = body.data.login.token;
          loggedIn = body.data.login.openid;
        }
        if (operationName === 'Me') {
          expect(body.data.me).toMatchObject({ app: 'official', openid: loggedIn });
          expect(body.data.me.user).toMatchObject({ subscribed: true });
        }
      }
    }
    expect(token).toEqual(expect.any(String));
  });

  it('mints OAuth codes over GET and POST', async () => {
    const viaGet = await fx.gw.yoga.fetch(
      'http://gateway.test/sandbox/oauth-code?scope=snsapi_base',
    );
    expect(viaGet.status).toBe(200);
    const minted: { code: string; openid: string; app: string; scope: string; query: string } =
      await viaGet.json();
    expect(minted).toMatchObject({ app: 'official', scope: 'snsapi_base' });
    const res = await fx.gw.query(minted.query, { as: 'anonymous' });
    expect(res.body).toEqual({
      data: {
        login: {
          token: expect.any(String),
          expiresAt: expect.any(String),
          openid: minted.openid,
          scope: 'snsapi_base',
          profile: null,
        },
      },
    });

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
      `mutation { login(code: "${minted.code}", app: "miniprogram") { openid } }`,
      { as: 'anonymous' },
    );
    expect(login.body).toEqual({ data: { login: { openid: minted.openid } } });
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

describe('GraphiQL in a sandbox whose keys the operator set', () => {
  const fx = useGateway({ sandbox: true });

  it('does not show them: the tabs carry placeholders and say so', async () => {
    const { tabs } = await graphiqlPage(fx.gw);
    expect(headersOf(tabs[2])).toEqual({ Authorization: 'Bearer <SERVICE_API_KEY>' });
    expect(headersOf(tabs[7])).toEqual({ Authorization: 'Bearer <ADMIN_API_KEY>' });
    expect(tabs[7]?.query).toContain('Put your key in place of <ADMIN_API_KEY>');
    expect(JSON.stringify(tabs)).not.toContain(SERVICE_KEY);
    expect(JSON.stringify(tabs)).not.toContain(ADMIN_KEY);
    const page = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      headers: { accept: 'text/html' },
    });
    // Placeholders only: revalidated, but a browser may keep it.
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('GraphiQL outside sandbox mode', () => {
  const fx = useGateway();

  it('uses placeholders and has no sandbox routes', async () => {
    const { tabs } = await graphiqlPage(fx.gw);
    expect(tabs.map((tab) => operationNames(tab.query))).toEqual(TABS);
    expect(tabs[1]?.query).toContain('run Login first');
    expect(tabs[0]?.query).toContain('CODE_FROM_OAUTH_REDIRECT');
    expect(JSON.stringify(tabs)).not.toContain('/sandbox/');
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
    const files = await fx.gw.yoga.fetch(
      'http://gateway.test/graphiql/graphiql.0123456789abcdef.js',
    );
    expect(files.status).toBe(404);
    const introspection = await fx.gw.query('{ __schema { queryType { name } } }');
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it("answers a browser's GET with a short page saying how to call the endpoint", async () => {
    const res = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      headers: {
        // What Chromium sends when the URL is typed into the address bar.
        accept:
          'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
        'accept-encoding': 'identity',
      },
    });
    // 406 (no GraphQL representation asked for), with the list of what is on offer.
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page.length).toBeLessThan(2_000);
    expect(page).toContain('GraphiQL, the in-browser editor, is off on\n      this server');
    expect(page).toContain('<code>GRAPHIQL=true</code> turns it on');
    const curl = /<pre>(curl .*)<\/pre>/.exec(page)?.[1] ?? '';
    expect(curl).toBe(
      `curl -X POST http://gateway.test/graphql -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}'`,
    );
    // The example it gives works.
    const posted = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await posted.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('keeps GraphQL over HTTP for GraphQL GETs', async () => {
    const res = await fx.gw.yoga.fetch(
      `http://gateway.test/graphql?query=${encodeURIComponent('{ __typename }')}`,
      {
        headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    // Without a query, a GraphQL client hears why (not the page): JSON, status 200 as
    // application/json has it.
    const empty = await fx.gw.yoga.fetch('http://gateway.test/graphql', {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({
      errors: [expect.objectContaining({ message: 'Must provide query string.' })],
    });
  });
});

describe('graphiqlTabs', () => {
  it('names the official account in official-only examples when it is not the default app', () => {
    const tabs = graphiqlTabs({ openids: [], officialApp: 'shop', miniProgram: { app: 'mini' } });
    const appArguments = tabs.flatMap((tab) =>
      parse(tab.query).definitions.flatMap((definition) => {
        if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
        const [field] = definition.selectionSet.selections;
        if (field?.kind !== Kind.FIELD) return [];
        const app = field.arguments?.find((argument) => argument.name.value === 'app');
        return [`${definition.name?.value}:${app ? print(app.value) : '-'}`];
      }),
    );
    expect(appArguments).toEqual([
      'Login:"shop"',
      'LoginMiniProgram:"mini"',
      'JsapiConfig:"shop"',
      'Me:-',
      'Logout:-',
      'UserInfo:"shop"',
      'Users:"shop"',
      'Followers:"shop"',
      'OpenidOfficial:"shop"',
      'OpenidMiniProgram:"mini"',
      'PhoneNumber:"mini"',
      'SetUserRemark:"shop"',
      'SendTemplateMessage:"shop"',
      'SendSubscribeMessage:"mini"',
      'MassSend:"shop"',
      'MassPreview:"shop"',
      'MassStatus:"shop"',
      'MassDelete:"shop"',
      'Tags:"shop"',
      'UsersByTag:"shop"',
      'CreateTag:"shop"',
      'RenameTag:"shop"',
      'DeleteTag:"shop"',
      'TagUsers:"shop"',
      'UntagUsers:"shop"',
      'CreateQrCode:"shop"',
      'MiniProgramCode:"mini"',
      'MiniProgramLink:"mini"',
      'Events:"shop"',
      'WechatEvents:"shop"',
      'AccessToken:-',
      'TokenStatus:-',
      'RefreshAccessToken:-',
      'ResetTokenBreaker:-',
    ]);
  });
});

describe("the GraphiQL page's session helper", () => {
  /** Runs the helper in a fresh global whose fetch records what it was asked and answers `reply`. */
  function loadHelper() {
    const sent: (string | null)[] = [];
    let reply: unknown = { data: {} };
    const page = {
      Headers,
      Request,
      fetch: async (_input: unknown, init?: { headers?: Headers }) => {
        sent.push(new Headers(init?.headers).get('authorization'));
        return new Response(JSON.stringify(reply), {
          headers: { 'content-type': 'application/json' },
        });
      },
    };
    runInNewContext(GRAPHIQL_SESSION_HELPER, page);
    const call = async (authorization: string | undefined, answer: unknown) => {
      reply = answer;
      const headers: Record<string, string> =
        authorization === undefined ? {} : { Authorization: authorization };
      return (await page.fetch('/graphql', { headers: new Headers(headers) })).json();
    };
    return { sent, call };
  }

  it('sends the last login token in place of the placeholder and forgets it after logout', async () => {
    const { sent, call } = loadHelper();
    const placeholder = `Bearer ${LOGIN_TOKEN_PLACEHOLDER}`;
    await call(placeholder, { data: { me: null } });
    await call(undefined, { data: { login: { token: 'T1' } } });
    const answer = await call(placeholder, { data: { me: { openid: 'o' } } });
    await call('Bearer other-key-0123456789', { data: {} });
    await call(placeholder, { data: { logout: true } });
    await call(placeholder, { data: {} });
    expect(sent).toEqual([
      null,
      null,
      'Bearer T1',
      'Bearer other-key-0123456789',
      'Bearer T1',
      null,
    ]);
    // The page still reads the whole answer.
    expect(answer).toEqual({ data: { me: { openid: 'o' } } });
  });
});
