/**
 * The WeChat API paths the tests call, count or fail: taken from src where the gateway calls them.
 * The two below are only called by tests (the gateway never refreshes or checks OAuth tokens).
 */
export { LEGACY_TOKEN_API, STABLE_TOKEN_API, TICKET_API } from '../../src/tokens/upstream-fetch.js';
export {
  BATCHGET_API,
  BATCHGET_MAX_USERS,
  FOLLOWERS_API,
  JSCODE2SESSION_API,
  OAUTH_TOKEN_API,
  SNS_USERINFO_API,
  USER_INFO_API,
} from '../../src/wechat/api.js';

export const OAUTH_REFRESH_API = '/sns/oauth2/refresh_token';
export const SNS_AUTH_API = '/sns/auth';
