import { UpstreamUnavailableError } from './errors.js';
import type { WechatHttp } from './http.js';
import type {
  AccessTokenSource,
  Lang,
  RawFollowerPage,
  RawJsCodeSession,
  RawOAuthToken,
  RawSnsUserInfo,
  RawUserInfo,
  RawUserInfoBatch,
  WechatApi,
  WechatAppConfig,
} from './types.js';

export const USER_INFO_API = '/cgi-bin/user/info';
export const BATCHGET_API = '/cgi-bin/user/info/batchget';
export const FOLLOWERS_API = '/cgi-bin/user/get';
export const OAUTH_TOKEN_API = '/sns/oauth2/access_token';
export const SNS_USERINFO_API = '/sns/userinfo';
export const JSCODE2SESSION_API = '/sns/jscode2session';

/** WeChat's limit per batchget call (wechat-api.md §4). */
export const BATCHGET_MAX_USERS = 100;

/**
 * The business calls of one app. Calls that need the app's access_token go through
 * `tokens.withAccessToken` (one invalidate-and-retry on 40001/40014/42001); the OAuth and
 * mini-program logins use the appid + secret, and /sns/userinfo the user's own OAuth token.
 */
export function createWechatApi(deps: {
  app: WechatAppConfig;
  http: WechatHttp;
  tokens: AccessTokenSource;
}): WechatApi {
  const { app, http, tokens } = deps;

  return {
    app: Object.freeze({
      name: app.name,
      kind: app.kind,
      appId: app.appId,
      tokenMode: app.tokenMode,
    }),

    getUserInfo(openid: string, lang: Lang) {
      return tokens.withAccessToken((accessToken) =>
        http.get<RawUserInfo>(USER_INFO_API, { access_token: accessToken, openid, lang }),
      );
    },

    async batchGetUserInfo(users) {
      if (users.length === 0 || users.length > BATCHGET_MAX_USERS) {
        throw new RangeError(
          `batchGetUserInfo takes 1 to ${BATCHGET_MAX_USERS} users per call, got ${users.length}`,
        );
      }
      const body = { user_list: users.map(({ openid, lang }) => ({ openid, lang })) };
      const result = await tokens.withAccessToken((accessToken) =>
        http.postJson<RawUserInfoBatch>(BATCHGET_API, { access_token: accessToken }, body),
      );
      const list = Array.isArray(result.user_info_list) ? result.user_info_list : [];
      // The documented order is "as requested" but unverified: match by openid to be sure. The
      // usual in-order answer is taken as it is, without building a map.
      if (
        list.length === users.length &&
        users.every((user, i) => list[i]?.openid === user.openid)
      ) {
        return list;
      }
      const byOpenid = new Map(list.map((user) => [user.openid, user]));
      return users.map(({ openid }) => {
        const user = byOpenid.get(openid);
        if (user === undefined) {
          throw new UpstreamUnavailableError(
            BATCHGET_API,
            'bad-response',
            'answer lacks a requested user',
          );
        }
        return user;
      });
    },

    getFollowers(nextOpenid?: string) {
      return tokens.withAccessToken((accessToken) =>
        http.get<RawFollowerPage>(
          FOLLOWERS_API,
          nextOpenid
            ? { access_token: accessToken, next_openid: nextOpenid }
            : { access_token: accessToken },
        ),
      );
    },

    exchangeOAuthCode(code: string) {
      return http.get<RawOAuthToken>(OAUTH_TOKEN_API, {
        appid: app.appId,
        secret: app.appSecret,
        code,
        grant_type: 'authorization_code',
      });
    },

    getOAuthUserInfo(oauthAccessToken: string, openid: string, lang: Lang) {
      // The user's OAuth token, not the app's: a 40001 here must not touch the app's cache.
      return http.get<RawSnsUserInfo>(SNS_USERINFO_API, {
        access_token: oauthAccessToken,
        openid,
        lang,
      });
    },

    code2Session(jsCode: string) {
      return http.get<RawJsCodeSession>(JSCODE2SESSION_API, {
        appid: app.appId,
        secret: app.appSecret,
        js_code: jsCode,
        grant_type: 'authorization_code',
      });
    },
  };
}
