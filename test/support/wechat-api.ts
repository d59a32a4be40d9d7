/**
 * The WeChat API paths the tests call, count or fail. Those src exports are taken from src; the
 * rest are private constants of src/wechat/api.ts, so this is their one copy under test/.
 */
export { LEGACY_TOKEN_API, STABLE_TOKEN_API, TICKET_API } from '../../src/tokens/upstream-fetch.js';
export { BATCHGET_MAX_USERS } from '../../src/wechat/api.js';

export const USER_INFO_API = '/cgi-bin/user/info';
export const BATCHGET_API = '/cgi-bin/user/info/batchget';
export const FOLLOWERS_API = '/cgi-bin/user/get';
export const OAUTH_TOKEN_API = '/sns/oauth2/access_token';
export const OAUTH_REFRESH_API = '/sns/oauth2/refresh_token';
export const SNS_USERINFO_API = '/sns/userinfo';
export const SNS_AUTH_API = '/sns/auth';
export const JSCODE2SESSION_API = '/sns/jscode2session';
