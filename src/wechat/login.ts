import type { WechatApi } from './types.js';

/** What a one-time login code says about the user, whichever kind of app issued it. */
export interface CodeExchange {
  openid: string;
  unionid: string | null;
  /** Web OAuth only. */
  scope: string | null;
  /** Web OAuth only: the user's token for `/sns/userinfo`; server-side, never a field. */
  oauthAccessToken: string | null;
  /** Mini programs only: never a field, a log entry or part of a token. */
  sessionKey: string | null;
}

/**
 * An official account's code is a web-OAuth code (`/sns/oauth2/access_token`); a mini
 * program's comes from `wx.login()` (`/sns/jscode2session`).
 */
export async function exchangeLoginCode(api: WechatApi, code: string): Promise<CodeExchange> {
  if (api.app.kind === 'miniprogram') {
    const session = await api.code2Session(code);
    return {
      openid: session.openid,
      unionid: session.unionid || null,
      scope: null,
      oauthAccessToken: null,
      sessionKey: session.session_key,
    };
  }
  const grant = await api.exchangeOAuthCode(code);
  return {
    openid: grant.openid,
    unionid: grant.unionid || null,
    scope: grant.scope,
    oauthAccessToken: grant.access_token,
    sessionKey: null,
  };
}
