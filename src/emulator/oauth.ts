import { avatarUrl } from './avatars.js';
import { appIdFromQuery, checkCodeExchange, param } from './credentials.js';
import { isWellFormedToken } from './identifiers.js';
import type { OAuthSessions, TokenPair, UserToken } from './oauth-sessions.js';
import { fail, ok, type EmulatorRequest, type Reply, type Route } from './protocol.js';
import type { EmulatorAppRegistry } from './registry.js';

/** Issued and extended tokens both live a full 7200 s from now. */
const EXPIRES_IN = 7200;

function tokenBody(pair: TokenPair, unionid: string | undefined): object {
  const { access } = pair;
  return {
    access_token: access.value,
    expires_in: EXPIRES_IN,
    refresh_token: pair.refreshToken,
    openid: access.grant.openid,
    scope: access.grant.scope,
    ...(unionid === undefined ? {} : { unionid }),
  };
}

/** `GET /sns/oauth2/access_token` (§6.1): one exchange per code, within 5 minutes. */
export function createOAuthTokenRoute(
  registry: EmulatorAppRegistry,
  sessions: OAuthSessions,
): Route {
  return {
    method: 'GET',
    appIdOf: appIdFromQuery,
    handle(req) {
      const checked = checkCodeExchange(registry, req.query, 'code');
      if (!checked.ok) return checked.reply;
      const { app, code } = checked;
      const exchanged = sessions.exchange(app.config.appId, code);
      if (!exchanged.ok) return fail(exchanged.errcode);
      const { grant } = exchanged.value.access;
      // unionid is only revealed with the user's consent (snsapi_userinfo).
      const unionid =
        grant.scope === 'snsapi_userinfo' ? app.users.get(grant.openid)?.unionid : undefined;
      return ok(tokenBody(exchanged.value, unionid));
    },
  };
}

/** `GET /sns/oauth2/refresh_token` (§6.2): no secret; refresh tokens live 30 days. */
export function createOAuthRefreshRoute(
  registry: EmulatorAppRegistry,
  sessions: OAuthSessions,
): Route {
  return {
    method: 'GET',
    appIdOf: appIdFromQuery,
    handle(req) {
      const appid = param(req.query, 'appid');
      if (appid === undefined) return fail(41002);
      if (param(req.query, 'grant_type') !== 'refresh_token') return fail(40002);
      const refreshToken = param(req.query, 'refresh_token');
      if (refreshToken === undefined) return fail(41003);
      if (!registry.get(appid)) return fail(40013);
      const refreshed = sessions.refresh(appid, refreshToken);
      return refreshed.ok ? ok(tokenBody(refreshed.value, undefined)) : fail(refreshed.errcode);
    },
  };
}

/** Shared by /sns/userinfo and /sns/auth: the user token must be alive and match the openid. */
function checkUserToken(
  sessions: OAuthSessions,
  req: EmulatorRequest,
): { ok: true; token: UserToken } | { ok: false; reply: Reply } {
  const value = param(req.query, 'access_token');
  if (value === undefined) return { ok: false, reply: fail(41001) };
  if (!isWellFormedToken(value)) return { ok: false, reply: fail(40014) };
  const checked = sessions.check(value);
  if (!checked.ok) return { ok: false, reply: fail(checked.errcode) };
  const openid = param(req.query, 'openid');
  if (openid === undefined) return { ok: false, reply: fail(41009) };
  if (openid !== checked.value.grant.openid) return { ok: false, reply: fail(40003) };
  return { ok: true, token: checked.value };
}

/**
 * `GET /sns/userinfo` (§6.3): needs scope snsapi_userinfo (48001 otherwise). Gender and region
 * are empty since 2021-10-20; `lang` only translated those, so it has no visible effect.
 */
export function createSnsUserInfoRoute(
  registry: EmulatorAppRegistry,
  sessions: OAuthSessions,
): Route {
  return {
    method: 'GET',
    appIdOf: (req) => sessions.appIdOf(param(req.query, 'access_token')),
    handle(req) {
      const checked = checkUserToken(sessions, req);
      if (!checked.ok) return checked.reply;
      const { grant } = checked.token;
      if (grant.scope !== 'snsapi_userinfo') return fail(48001);
      const user = registry.require(grant.appId).users.get(grant.openid);
      if (!user) return fail(40003);
      return ok({
        openid: user.openid,
        nickname: user.nickname,
        sex: 0,
        province: '',
        city: '',
        country: '',
        headimgurl: avatarUrl(user.headimgurl, req.origin),
        privilege: [],
        ...(user.unionid === undefined ? {} : { unionid: user.unionid }),
      });
    },
  };
}

/** `GET /sns/auth` (§6.4): success carries errcode 0. */
export function createSnsAuthRoute(sessions: OAuthSessions): Route {
  return {
    method: 'GET',
    appIdOf: (req) => sessions.appIdOf(param(req.query, 'access_token')),
    handle(req) {
      const checked = checkUserToken(sessions, req);
      return checked.ok ? ok({ errcode: 0, errmsg: 'ok' }) : checked.reply;
    },
  };
}
