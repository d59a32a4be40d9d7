/**
 * HTTP controls of a standalone emulator (`npm run emulator`): mint what the WeChat client would
 * hand a web page (a web-OAuth `code`) or a mini program (a `wx.login()` code), so a gateway
 * pointed at the emulator can be tried end to end. These are not WeChat endpoints: they answer
 * plain JSON, are never counted by `calls()` and never faulted.
 */
import { CODE_LIFETIME_MS } from './codes.js';
import { isRecord } from './protocol.js';
import type { Emulator, EmulatorApp } from './types.js';

export const CONTROL_ROUTES = {
  oauthCode: '/emulator/oauth-code',
  jsCode: '/emulator/js-code',
} as const;

export interface ControlRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly contentType: string;
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export type ControlRoute = (request: ControlRequest) => ControlAnswer;

type Minters = Pick<Emulator, 'mintOAuthCode' | 'mintJsCode'>;

class ControlRequestError extends Error {}

/** Query parameters, overridden by those of a JSON or form body. */
function readParams(request: ControlRequest): Map<string, string> {
  const params = new Map(request.query);
  if (request.method !== 'POST' || request.body.trim() === '') return params;
  if (request.contentType === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value);
    return params;
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new ControlRequestError('the body is neither JSON nor a form');
  }
  if (!isRecord(body)) throw new ControlRequestError('the body must be a JSON object');
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params.set(key, value);
  }
  return params;
}

/** `appid` if given, else the first app of the kind the code is for. */
function pickAppId(
  apps: readonly EmulatorApp[],
  params: Map<string, string>,
  kind: EmulatorApp['kind'],
): string {
  const appId = params.get('appid');
  if (appId) return appId;
  const app = apps.find((candidate) => candidate.kind === kind);
  if (!app) {
    throw new ControlRequestError(
      `this emulator has no ${kind === 'official' ? 'official account' : 'mini program'}`,
    );
  }
  return app.appId;
}

function handle(request: ControlRequest, mint: (params: Map<string, string>) => object) {
  if (request.method !== 'GET' && request.method !== 'POST') {
    return { status: 405, body: { error: 'use GET or POST' } };
  }
  try {
    const minted = mint(readParams(request));
    return { status: 200, body: { ...minted, expiresInSeconds: CODE_LIFETIME_MS / 1000 } };
  } catch (error) {
    // The emulator's own checks (unknown appid, wrong kind, bad scope or openid) throw RangeError.
    if (error instanceof ControlRequestError || error instanceof RangeError) {
      return { status: 400, body: { error: error.message } };
    }
    throw error;
  }
}

export function createControlRoutes(
  apps: readonly EmulatorApp[],
  minters: Minters,
): ReadonlyMap<string, ControlRoute> {
  return new Map<string, ControlRoute>([
    [
      CONTROL_ROUTES.oauthCode,
      (request) =>
        handle(request, (params) => {
          const appid = pickAppId(apps, params, 'official');
          const scope = params.get('scope') ?? 'snsapi_userinfo';
          if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
            throw new ControlRequestError('"scope" must be snsapi_base or snsapi_userinfo');
          }
          const openid = params.get('openid') || undefined;
          return { appid, scope, ...minters.mintOAuthCode(appid, { scope, openid }) };
        }),
    ],
    [
      CONTROL_ROUTES.jsCode,
      (request) =>
        handle(request, (params) => {
          const appid = pickAppId(apps, params, 'miniprogram');
          const openid = params.get('openid') || undefined;
          return { appid, ...minters.mintJsCode(appid, { openid }) };
        }),
    ],
  ]);
}
