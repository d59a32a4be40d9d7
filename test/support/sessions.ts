/** Logging users in through the gateway under test, as a page or a mini program would. */
import { expect } from 'vitest';
import type { Gateway, GatewayInstance } from './harness.js';

export interface LoggedIn {
  token: string;
  openid: string;
  expiresAt: string;
}

export const LOGIN = `mutation ($code: String!, $app: String) {
  login(code: $code, app: $app) { token expiresAt openid }
}`;

/** Logs a follower of the official account in (web OAuth, snsapi_userinfo), anonymously. */
export async function loginOfficial(
  gw: Gateway,
  options: { openid?: string; via?: GatewayInstance } = {},
): Promise<LoggedIn> {
  const openid = options.openid ?? gw.emulator.followerOpenids(gw.official.appId)[0];
  const { code } = gw.emulator.mintOAuthCode(gw.official.appId, {
    scope: 'snsapi_userinfo',
    openid,
  });
  return login(options.via ?? gw, code, undefined);
}

/** Logs a mini program user in (a wx.login() code), anonymously. */
export async function loginMini(gw: Gateway, via?: GatewayInstance): Promise<LoggedIn> {
  const { code } = gw.emulator.mintJsCode(gw.mini.appId);
  return login(via ?? gw, code, 'miniprogram');
}

async function login(
  via: Pick<GatewayInstance, 'query'>,
  code: string,
  app: string | undefined,
): Promise<LoggedIn> {
  const res = await via.query<{ login: LoggedIn }>(LOGIN, {
    as: 'anonymous',
    variables: { code, app },
  });
  expect(res.body.errors).toBeUndefined();
  const logged = res.body.data?.login;
  if (!logged) throw new Error(`login failed: ${res.text}`);
  return logged;
}
