import type { AccessTokens } from './access-tokens.js';
import { appIdFromQuery, checkCredentials, checkQueryCredentials } from './credentials.js';
import { STABLE_TOKEN_HINT, errmsgFor } from './errmsg.js';
import { fail, ok, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { EmulatorAppRegistry } from './registry.js';

const QUOTA_WITH_HINT = `${errmsgFor(45009)}, ${STABLE_TOKEN_HINT}`;

function quotaExceeded(withHint: boolean): Reply {
  return withHint ? fail(45009, QUOTA_WITH_HINT) : fail(45009);
}

/** `GET /cgi-bin/token` (wechat-api.md §1). */
export function createLegacyTokenRoute(registry: EmulatorAppRegistry, tokens: AccessTokens): Route {
  return {
    method: 'GET',
    appIdOf: appIdFromQuery,
    handle(req) {
      const checked = checkQueryCredentials(registry, req.query, 'client_credential');
      if (!checked.ok) return checked.reply;
      const issued = tokens.issueLegacy(checked.app.config.appId);
      if (!issued.ok) return quotaExceeded(true);
      return ok({ access_token: issued.token, expires_in: issued.expiresIn });
    },
  };
}

type StableBody =
  | { kind: 'fields'; appid?: string; secret?: string; grantType?: string; force: boolean }
  | { kind: 'malformed' };

/**
 * WeChat reads stable_token parameters from a JSON body only: a form-encoded body (or any
 * non-JSON content type) leaves every field missing, hence 41002 "appid missing" (§2.1).
 */
function readStableBody(contentType: string, body: string): StableBody {
  if (contentType !== 'application/json') return { kind: 'fields', force: false };
  const parsed = parseJsonObject(body);
  if (parsed.kind === 'malformed') return { kind: 'malformed' };
  const { appid, secret, grant_type: grantType, force_refresh: force } = parsed.value;
  if (force !== undefined && typeof force !== 'boolean') return { kind: 'malformed' };
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  return {
    kind: 'fields',
    appid: text(appid),
    secret: text(secret),
    grantType: text(grantType),
    force: force === true,
  };
}

/** `POST /cgi-bin/stable_token` (wechat-api.md §2). */
export function createStableTokenRoute(registry: EmulatorAppRegistry, tokens: AccessTokens): Route {
  return {
    method: 'POST',
    appIdOf(req) {
      const body = readStableBody(req.contentType, req.body);
      return body.kind === 'fields' ? body.appid : undefined;
    },
    handle(req) {
      const body = readStableBody(req.contentType, req.body);
      if (body.kind === 'malformed') return fail(47001);
      const checked = checkCredentials(registry, {
        appid: body.appid,
        secret: body.secret,
        grantType: body.grantType,
        expectedGrantType: 'client_credential',
      });
      if (!checked.ok) return checked.reply;
      const issued = tokens.issueStable(checked.app.config.appId, body.force);
      if (!issued.ok) return quotaExceeded(false);
      return ok({ access_token: issued.token, expires_in: issued.expiresIn });
    },
  };
}
