/**
 * The typed client (client/) against a real gateway: the generated documents, the session token
 * it keeps and forgets, and the errors a page gets.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createGatewayClient,
  fetchTransport,
  GatewayError,
  JsapiConfigDocument,
  MeDocument,
  memorySession,
  type GatewayClient,
  type Transport,
} from '../../client/index.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { GATEWAY_URL, yogaFetch } from './yoga-transport.js';

function clientOf(gw: Gateway, requests?: string[]): GatewayClient {
  return createGatewayClient({
    url: GATEWAY_URL,
    transport: fetchTransport(yogaFetch(gw, requests)),
  });
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GatewayError))
    throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

function oauthCode(gw: Gateway, openid?: string): string {
  return gw.emulator.mintOAuthCode(gw.official.appId, { scope: 'snsapi_userinfo', openid }).code;
}

describe('the typed client', () => {
  const fx = useGateway();

  it('logs in, keeps the token, sends it with me, signs a page, and forgets it at logout', async () => {
    const requests: string[] = [];
    const client = clientOf(fx.gw, requests);
    const openid = fx.gw.emulator.followerOpenids(fx.gw.official.appId)[0];
    const login = await client.login({ code: oauthCode(fx.gw, openid) });
    expect(login).toMatchObject({ openid, scope: 'snsapi_userinfo' });
    expect(login.profile?.nickname).toEqual(expect.any(String));
    expect(client.session.get()).toBe(login.token);
    // Variables travel as variables, never pasted into the document.
    expect(JSON.parse(requests[0] ?? '{}')).toMatchObject({
      variables: { code: expect.any(String) },
    });

    const { me } = await client.request(MeDocument);
    expect(me).toEqual({
      app: 'official',
      openid,
      unionid: login.unionid,
      user: { subscribed: true, subscribedAt: expect.any(String) },
    });

    const url = 'https://shop.example.com/h5/?from=menu';
    const { jsapiConfig } = await client.request(JsapiConfigDocument, { url: `${url}#top` });
    expect(jsapiConfig.url).toBe(url);
    // The emulator checks the signature as WeChat's browser would on wx.config().
    expect(fx.gw.emulator.checkJsapiConfig(jsapiConfig, url)).toEqual({ ok: true });

    await client.logout();
    expect(client.session.get()).toBeUndefined();
    const after = createGatewayClient({
      url: GATEWAY_URL,
      transport: fetchTransport(yogaFetch(fx.gw)),
      session: memorySession(login.token),
    });
    const refused = await failure(after.request(MeDocument));
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    // A token the gateway refused is of no more use: the client dropped it.
    expect(after.session.get()).toBeUndefined();
  });

  it('rejects with the gateway’s code: no session, a used code, the login rate limit', async () => {
    const client = clientOf(fx.gw);
    expect(await failure(client.request(MeDocument))).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    });
    const code = oauthCode(fx.gw);
    await client.login({ code });
    const reused = await failure(
      createGatewayClient({ url: GATEWAY_URL, transport: fetchTransport(yogaFetch(fx.gw)) }).login({
        code,
      }),
    );
    expect(reused).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'The code was already used; codes work once.',
      wechat: { errcode: 40163, rid: expect.any(String) },
    });
    // The token of the first login is untouched by another client's failure.
    expect(client.session.get()).toEqual(expect.any(String));
  });

  it('logout of a session that already ended (logged out on another device) still logs out', async () => {
    const client = clientOf(fx.gw);
    const login = await client.login({ code: oauthCode(fx.gw) });
    const other = createGatewayClient({
      url: GATEWAY_URL,
      transport: fetchTransport(yogaFetch(fx.gw)),
      session: memorySession(login.token),
    });
    await other.logout();
    await expect(client.logout()).resolves.toBeUndefined();
    expect(client.session.get()).toBeUndefined();
  });
});

describe('the typed client from a page on another origin (CORS_ORIGINS)', () => {
  const SHOP = 'https://shop.example.com';
  const fx = useGateway({ corsOrigins: [SHOP] });

  it('sends only headers the preflight allows', async () => {
    let sent: Record<string, string> = {};
    const client = createGatewayClient({
      url: GATEWAY_URL,
      session: memorySession('a-session-token'),
      transport: async (request) => {
        sent = { ...request.headers };
        return { status: 200, json: { data: { logout: true } } };
      },
    });
    await client.logout();
    const names = Object.keys(sent).map((name) => name.toLowerCase());
    expect(names).toContain('authorization');
    const preflight = await fx.gw.yoga.fetch(GATEWAY_URL, {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': names.join(', '),
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const name of names) expect(allowed.split(/\s*,\s*/), name).toContain(name);
  });
});

describe('the typed client: rate limits', () => {
  const fx = useGateway({ access: { rateLimits: { login: 1, jsapiConfig: 120 } } });

  it('RATE_LIMITED carries retryAfter', async () => {
    const client = clientOf(fx.gw);
    await client.login({ code: oauthCode(fx.gw) });
    const limited = await failure(client.login({ code: oauthCode(fx.gw) }));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toEqual(expect.any(Number));
    expect(limited.retryAfter).toBeGreaterThan(0);
  });
});

describe('the typed client without a gateway answer', () => {
  const fake =
    (answer: Awaited<ReturnType<Transport>> | Error): Transport =>
    async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    };

  it('NETWORK_ERROR when the request did not get through', async () => {
    const client = createGatewayClient({
      url: GATEWAY_URL,
      transport: fake(new TypeError('fetch failed')),
    });
    expect(await failure(client.request(MeDocument))).toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      message: 'the gateway could not be reached: fetch failed',
    });
  });

  it('BAD_RESPONSE when something else answered (a proxy’s error page)', async () => {
    const client = createGatewayClient({
      url: GATEWAY_URL,
      transport: fake({ status: 502, json: undefined }),
    });
    expect(await failure(client.request(MeDocument))).toMatchObject({
      code: 'BAD_RESPONSE',
      status: 502,
    });
  });

  it('a logout that failed for another reason keeps the token, to retry', async () => {
    const client = createGatewayClient({
      url: GATEWAY_URL,
      session: memorySession('session-token'),
      transport: fake({
        status: 200,
        json: {
          errors: [
            {
              message: 'The token store is unreachable.',
              extensions: { code: 'UPSTREAM_UNAVAILABLE' },
            },
          ],
        },
      }),
    });
    expect(await failure(client.logout())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(client.session.get()).toBe('session-token');
  });
});

describe('the typed client: types', () => {
  it('types results and variables from the documents', () => {
    const client = createGatewayClient({
      url: GATEWAY_URL,
      transport: async () => ({ status: 200, json: {} }),
    });
    // Never run: the checks are the compiler's (npm run typecheck).
    const typeChecks = () => {
      expectTypeOf(client.request(MeDocument)).resolves.toHaveProperty('me');
      expectTypeOf(
        client.request(JsapiConfigDocument, { url: 'https://x/' }),
      ).resolves.toEqualTypeOf<{
        jsapiConfig: {
          appId: string;
          timestamp: number;
          nonceStr: string;
          signature: string;
          url: string;
        };
      }>();
      // @ts-expect-error jsapiConfig needs its url
      void client.request(JsapiConfigDocument);
      // @ts-expect-error url is a string
      void client.request(JsapiConfigDocument, { url: 1 });
      // @ts-expect-error no such variable
      void client.request(MeDocument, { application: 'official' });
      // @ts-expect-error login needs a code
      void client.login({});
    };
    void typeChecks;
  });
});
