/**
 * `open.weixin.qq.com/connect/oauth2/authorize` (§6.0), the browser step of web OAuth: a page
 * sends the user here, and WeChat sends the user back to `redirect_uri?code=CODE&state=STATE`:
 * at once for `snsapi_base`, after the user's consent for `snsapi_userinfo` (no code when the user
 * refuses). A wrong request gets an error page, never a redirect.
 */
import { param } from './credentials.js';
import {
  authorizeErrorPage,
  consentPage,
  redirectPage,
  type AuthorizeChoice,
  type AuthorizeRequest,
} from './oauth-authorize-page.js';
import type { OAuthSessions } from './oauth-sessions.js';
import type { EmulatorRequest, Reply, Route } from './protocol.js';
import type { EmulatorAppRegistry, RegisteredApp } from './registry.js';

export const AUTHORIZE_PATH = '/connect/oauth2/authorize';

/** §6.0: up to 128 bytes of [a-zA-Z0-9]. */
const STATE = /^[a-zA-Z0-9]{0,128}$/;

const showPage = (page: ReturnType<typeof authorizeErrorPage>): Reply => ({ ok: true, page });

/** The query of a GET, the form of the consent page's POST. */
function paramsOf(req: EmulatorRequest): URLSearchParams {
  return req.method === 'POST' ? new URLSearchParams(req.body) : req.query;
}

function checkRedirectUri(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

type Checked =
  { ok: true; request: AuthorizeRequest; app: RegisteredApp } | { ok: false; message: string };

/**
 * The request's parameters in the order a page author would fix them. Not emulated: the OAuth
 * domain check (10003; any host is accepted) and the test-account follow rule (10006).
 */
function checkRequest(registry: EmulatorAppRegistry, params: URLSearchParams): Checked {
  const appid = param(params, 'appid');
  const app = appid === undefined ? undefined : registry.get(appid);
  if (appid === undefined || !app) {
    return { ok: false, message: `appid ${appid ?? '(missing)'} is not an app of this emulator` };
  }
  if (app.config.kind !== 'official') {
    return {
      ok: false,
      message: '10005: web OAuth needs an official account (this is a mini program)',
    };
  }
  const redirectUri = checkRedirectUri(param(params, 'redirect_uri'));
  if (redirectUri === undefined) {
    return { ok: false, message: 'redirect_uri must be an absolute http(s) URL, URL-encoded' };
  }
  if (param(params, 'response_type') !== 'code') {
    return { ok: false, message: 'response_type must be code' };
  }
  const scope = param(params, 'scope');
  if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
    return { ok: false, message: '10005: scope must be snsapi_base or snsapi_userinfo' };
  }
  const state = params.get('state') ?? '';
  if (!STATE.test(state)) {
    return { ok: false, message: 'state must be at most 128 characters of a-z, A-Z and 0-9' };
  }
  return { ok: true, request: { appid, redirectUri, scope, state }, app };
}

/** The sandbox's stand-ins for the user at the phone: a follower, a non-follower, a new user. */
function choices(app: RegisteredApp): AuthorizeChoice[] {
  const { users } = app;
  const described = (openid: string | undefined, what: string): AuthorizeChoice[] => {
    const user = openid === undefined ? undefined : users.get(openid);
    return user
      ? [{ openid: user.openid, label: `${user.nickname} (${what}, ${user.openid})` }]
      : [];
  };
  return [
    ...described(users.followerOpenids[0], 'follows the account'),
    ...described(users.unsubscribedOpenids[0], 'does not follow'),
    { openid: '', label: 'A user WeChat has not seen before' },
  ];
}

export function createAuthorizeRoute(registry: EmulatorAppRegistry, oauth: OAuthSessions): Route {
  return {
    // GET shows the page (or redirects); the consent form POSTs back to the same path.
    method: 'GET',
    appIdOf: (req) => param(paramsOf(req), 'appid'),
    handle(req) {
      const params = paramsOf(req);
      const checked = checkRequest(registry, params);
      if (!checked.ok) return showPage(authorizeErrorPage(checked.message));
      const { request, app } = checked;
      const back = (openid: string | undefined) => {
        const { code } = oauth.mintCode(request.appid, request.scope, openid);
        return showPage(redirectPage(request.redirectUri, { code, state: request.state }));
      };
      // snsapi_base is silent: the user WeChat has on the phone is the account's first follower.
      if (request.scope === 'snsapi_base') return back(app.users.followerOpenids[0]);
      if (req.method !== 'POST') return showPage(consentPage(request, choices(app)));
      const decision = params.get('decision');
      if (decision === 'deny') {
        return showPage(redirectPage(request.redirectUri, { state: request.state }));
      }
      const openid = params.get('openid') ?? '';
      const allowed = choices(app).some((choice) => choice.openid === openid);
      if (decision !== 'allow' || !allowed) {
        return showPage(authorizeErrorPage('choose a user, then Allow or Deny'));
      }
      return back(openid === '' ? undefined : openid);
    },
  };
}
