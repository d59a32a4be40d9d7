/**
 * Sandbox only: small REST helpers that do what the WeChat client would do, so a newcomer in
 * GraphiQL or with curl can get a login code to try `login(code:)`. Never installed when talking
 * to WeChat.
 */
import type { Plugin } from 'graphql-yoga';
import type { Emulator } from '../emulator/index.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';

export type SandboxEmulator = Pick<
  Emulator,
  | 'url'
  | 'mintOAuthCode'
  | 'mintJsCode'
  | 'followerOpenids'
  | 'unsubscribedOpenids'
  | 'checkJsapiConfig'
>;

export const SANDBOX_ROUTES = { oauthCode: '/sandbox/oauth-code', jsCode: '/sandbox/js-code' };

/** What codes live for in WeChat (and the emulator). */
const CODE_TTL_SECONDS = 300;

export class SandboxRequestError extends Error {}

export async function readParams(request: Request, url: URL): Promise<Map<string, string>> {
  const params = new Map(url.searchParams);
  if (request.method === 'POST' && request.headers.get('content-type')?.includes('json')) {
    const text = await request.text();
    if (text.trim() !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new SandboxRequestError('the body is not valid JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new SandboxRequestError('the body must be a JSON object');
      }
      for (const [key, value] of Object.entries(body)) {
        if (typeof value === 'string') params.set(key, value);
      }
    }
  }
  return params;
}

export function pickApp(
  apps: AppRegistry,
  name: string | undefined,
  kind: GatewayApp['kind'],
): GatewayApp {
  let app: GatewayApp | undefined;
  try {
    app = name === undefined ? undefined : apps.resolve(name);
  } catch (error) {
    throw new SandboxRequestError(error instanceof Error ? error.message : String(error));
  }
  // Without `app`, take the default app if it fits, else the first app of the right kind.
  app ??= apps.defaultApp.kind === kind ? apps.defaultApp : apps.all.find((a) => a.kind === kind);
  if (app?.kind !== kind) {
    const what = kind === 'official' ? 'an official account' : 'a mini program';
    throw new SandboxRequestError(`this code needs ${what}; pass "app" naming one`);
  }
  return app;
}

function mint(
  emulator: SandboxEmulator,
  apps: AppRegistry,
  route: string,
  params: Map<string, string>,
): Record<string, unknown> {
  const openid = params.get('openid') || undefined;
  if (route === SANDBOX_ROUTES.oauthCode) {
    const app = pickApp(apps, params.get('app'), 'official');
    const scope = params.get('scope') ?? 'snsapi_userinfo';
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
      throw new SandboxRequestError('"scope" must be snsapi_base or snsapi_userinfo');
    }
    const minted = emulator.mintOAuthCode(app.appId, { scope, openid });
    return {
      app: app.name,
      scope,
      ...minted,
      expiresInSeconds: CODE_TTL_SECONDS,
      query: `mutation { login(code: "${minted.code}", app: "${app.name}") { token expiresAt openid scope profile { nickname avatarUrl } } }`,
    };
  }
  const app = pickApp(apps, params.get('app'), 'miniprogram');
  const minted = emulator.mintJsCode(app.appId, { openid });
  return {
    app: app.name,
    ...minted,
    expiresInSeconds: CODE_TTL_SECONDS,
    query: `mutation { login(code: "${minted.code}", app: "${app.name}") { token expiresAt openid unionid } }`,
  };
}

/** Bad parameters are the caller's; the emulator's own checks throw RangeError. */
const isBadRequest = (error: unknown): error is Error =>
  error instanceof SandboxRequestError || error instanceof RangeError;

/**
 * A yoga plugin serving sandbox helper routes: GET or POST with parameters from the query or a
 * JSON body, answered as readable JSON; a bad request is a 400 with its reason.
 */
export function useSandboxJsonRoutes(
  paths: Iterable<string>,
  handle: (path: string, params: Map<string, string>, url: URL) => unknown,
  badRequest: (error: unknown) => error is Error = isBadRequest,
): Plugin {
  const routes = new Set(paths);
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (!routes.has(url.pathname)) return;
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body, null, 2), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      if (request.method !== 'GET' && request.method !== 'POST') {
        return json(405, { error: 'use GET or POST' });
      }
      try {
        json(200, await handle(url.pathname, await readParams(request, url), url));
      } catch (error) {
        if (badRequest(error)) return json(400, { error: error.message });
        throw error;
      }
    },
  };
}

export function useSandboxRoutes(deps: { emulator: SandboxEmulator; apps: AppRegistry }): Plugin {
  return useSandboxJsonRoutes(Object.values(SANDBOX_ROUTES), (path, params) =>
    mint(deps.emulator, deps.apps, path, params),
  );
}
