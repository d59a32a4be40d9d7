import { fail, type Reply } from './protocol.js';
import type { AppRegistry, RegisteredApp } from './registry.js';

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
  registry: AppRegistry,
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
