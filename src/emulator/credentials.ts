import { fail, type EmulatorRequest, type Reply } from './protocol.js';
import type { EmulatorAppRegistry, RegisteredApp } from './registry.js';

export interface CredentialInput {
  appid: string | undefined;
  secret: string | undefined;
  grantType: string | undefined;
  /** The grant_type this endpoint wants. */
  expectedGrantType: string;
}

/**
 * The checks every endpoint taking an AppSecret makes, in one order for all of them. Missing
 * appid comes first so a form-encoded stable_token body (nothing parsed) reads 41002, as in
 * WeChat.
 */
export function checkCredentials(
  registry: EmulatorAppRegistry,
  input: CredentialInput,
): { ok: true; app: RegisteredApp } | { ok: false; reply: Reply } {
  if (!input.appid) return { ok: false, reply: fail(41002) };
  if (!input.secret) return { ok: false, reply: fail(41004) };
  if (input.grantType !== input.expectedGrantType) return { ok: false, reply: fail(40002) };
  const app = registry.get(input.appid);
  if (!app) return { ok: false, reply: fail(40013) };
  if (app.config.appSecret !== input.secret) return { ok: false, reply: fail(40125) };
  return { ok: true, app };
}

/** A query parameter, with empty meaning absent (as WeChat treats `appid=`). */
export function param(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** appid, secret and grant_type from the query string (`/cgi-bin/token`, the `/sns` exchanges). */
export function checkQueryCredentials(
  registry: EmulatorAppRegistry,
  query: URLSearchParams,
  expectedGrantType: string,
): { ok: true; app: RegisteredApp } | { ok: false; reply: Reply } {
  return checkCredentials(registry, {
    appid: param(query, 'appid'),
    secret: param(query, 'secret'),
    grantType: param(query, 'grant_type'),
    expectedGrantType,
  });
}

/**
 * A login-code exchange (`/sns/oauth2/access_token`, `/sns/jscode2session`): the app's
 * credentials first, then the code itself (41008 when missing).
 */
export function checkCodeExchange(
  registry: EmulatorAppRegistry,
  query: URLSearchParams,
  codeParam: 'code' | 'js_code',
): { ok: true; app: RegisteredApp; code: string } | { ok: false; reply: Reply } {
  const checked = checkQueryCredentials(registry, query, 'authorization_code');
  if (!checked.ok) return checked;
  const code = param(query, codeParam);
  return code === undefined ? { ok: false, reply: fail(41008) } : { ...checked, code };
}

/** Call counters attribute these requests by their `appid` parameter. */
export const appIdFromQuery = (req: EmulatorRequest): string | undefined =>
  param(req.query, 'appid');
