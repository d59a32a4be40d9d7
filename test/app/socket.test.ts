/** The gateway over a real socket, as `npm start` serves it (node:http + yoga). */
import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, SERVICE_KEY, startGateway, type Gateway } from '../support/harness.js';
import { listenOnLoopback } from '../support/ports.js';
import { BATCHGET_API } from '../support/wechat-api.js';

describe('over a real socket', () => {
  let gw: Gateway;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    gw = await startGateway({ sandbox: true });
    server = createServer(gw.yoga);
    ({ url: base } = await listenOnLoopback(server));
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gw.close();
  });

  async function post(query: string, headers: Record<string, string> = {}) {
    const res = await request(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.json() };
  }

  it('answers queries, batched, over HTTP', async () => {
    const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 3);
    const res = await post(`{ users(openids: ${JSON.stringify(openids)}) { openid subscribed } }`, {
      authorization: `Bearer ${SERVICE_KEY}`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { users: openids.map((openid) => ({ openid, subscribed: true })) },
    });
    expect(gw.emulator.calls(BATCHGET_API)).toBe(1);
  });

  it('answers 401 to an admin field without the key and 200 with it', async () => {
    const denied = await post('{ tokenStatus { app } }');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="wechat-graphql-gateway"');
    expect(denied.body).toEqual({
      errors: [
        {
          message:
            '"tokenStatus" needs the admin key: send "Authorization: Bearer <ADMIN_API_KEY>".',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    const allowed = await post('{ tokenStatus { app } }', { authorization: `Bearer ${ADMIN_KEY}` });
    expect(allowed).toMatchObject({
      status: 200,
      body: { data: { tokenStatus: { app: 'official' } } },
    });
  });

  it('serves GraphiQL to a browser and a sandbox code to curl, which logs in and reads me', async () => {
    const page = await request(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('query UserInfo');
    const [follower] = gw.emulator.followerOpenids(gw.official.appId);
    const code = await request(`${base}/sandbox/oauth-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: follower }),
    });
    expect(code.statusCode).toBe(200);
    const minted = (await code.body.json()) as { openid: string; query: string };
    expect(minted).toMatchObject({ app: 'official', scope: 'snsapi_userinfo' });
    const login = await post(minted.query);
    const token: unknown = (login.body as { data?: { login?: { token?: unknown } } }).data?.login
      ?.token;
    if (typeof token !== 'string') throw new Error(`no token in ${JSON.stringify(login.body)}`);
    const me = await post('{ me { openid user { subscribed } } }', {
      authorization: `Bearer ${token}`,
    });
    expect(me.body).toEqual({
      data: { me: { openid: minted.openid, user: { subscribed: true } } },
    });
  });

  it('refuses a cross-site form POST (CSRF prevention) before anything runs', async () => {
    const res = await request(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example.net',
      },
      body: new URLSearchParams({ query: 'mutation { logout }' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain('Required CSRF header(s) not present');
  });
});
