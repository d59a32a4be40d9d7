/**
 * Raw WeChat response shapes, snake_case as on the wire (see docs/wechat-api.md).
 * They are renamed to camelCase at the GraphQL edge (resolvers / mappers), nowhere else.
 */

export type AppKind = 'official' | 'miniprogram';
export type TokenMode = 'stable' | 'legacy';
export type Lang = 'zh_CN' | 'zh_TW' | 'en';

/** One configured WeChat app. `name` is how GraphQL clients refer to it (`app:` argument). */
export interface WechatAppConfig {
  name: string;
  kind: AppKind;
  appId: string;
  appSecret: string;
  tokenMode: TokenMode;
}

export interface RawAccessToken {
  access_token: string;
  expires_in: number;
}

/** `/cgi-bin/user/info` and each entry of `batchget` (§3.2, §3.4). */
export interface RawUserInfo {
  subscribe: 0 | 1;
  openid: string;
  language?: string;
  subscribe_time?: number;
  unionid?: string;
  remark?: string;
  groupid?: number;
  tagid_list?: number[];
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
}

export interface RawUserInfoBatch {
  user_info_list: RawUserInfo[];
}

/** `/cgi-bin/user/get` (§5); `data` is absent on the terminal page. */
export interface RawFollowerPage {
  total: number;
  count: number;
  data?: { openid: string[] };
  next_openid: string;
}

/** `/sns/oauth2/access_token` and `/sns/oauth2/refresh_token` (§6.1, §6.2). */
export interface RawOAuthToken {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  openid: string;
  scope: string;
  is_snapshotuser?: number;
  unionid?: string;
}

/** `/sns/userinfo` (§6.3). `sex` may be a number or (old servers) a string. */
export interface RawSnsUserInfo {
  openid: string;
  nickname: string;
  sex?: number | string;
  province?: string;
  city?: string;
  country?: string;
  headimgurl: string;
  privilege: string[];
  unionid?: string;
}

/** `/sns/jscode2session` (§7). `session_key` must never leave the server. */
export interface RawJsCodeSession {
  openid: string;
  session_key: string;
  unionid?: string;
}

/** `/cgi-bin/ticket/getticket` (§8.1). */
export interface RawTicket {
  errcode: number;
  errmsg: string;
  ticket: string;
  expires_in: number;
}

/**
 * Business calls for one app. Token handling (incl. the single retry on token rejection) is
 * inside; callers see WechatApiError, UpstreamUnavailableError or the token source's own error.
 */
export interface WechatApi {
  readonly app: Readonly<Omit<WechatAppConfig, 'appSecret'>>;
  /** `/cgi-bin/user/info`. */
  getUserInfo(openid: string, lang: Lang): Promise<RawUserInfo>;
  /** `/cgi-bin/user/info/batchget`; 1–100 entries, results in request order. */
  batchGetUserInfo(users: readonly { openid: string; lang: Lang }[]): Promise<RawUserInfo[]>;
  /** `/cgi-bin/user/get`; `nextOpenid` empty or omitted starts at the beginning. */
  getFollowers(nextOpenid?: string): Promise<RawFollowerPage>;
  /** `/sns/oauth2/access_token` (official accounts, web OAuth). */
  exchangeOAuthCode(code: string): Promise<RawOAuthToken>;
  /** `/sns/userinfo` with a user's OAuth token (needs scope snsapi_userinfo). */
  getOAuthUserInfo(oauthAccessToken: string, openid: string, lang: Lang): Promise<RawSnsUserInfo>;
  /** `/sns/jscode2session` (mini programs). */
  code2Session(jsCode: string): Promise<RawJsCodeSession>;
}

/**
 * What the business calls need of the token machinery (src/tokens implements it): run a call with
 * the app's access_token, refreshing and retrying once when WeChat rejects the token.
 */
export interface AccessTokenSource {
  withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T>;
}
