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
export {
  SUBSCRIBE_BIZSEND_API,
  SUBSCRIBE_SEND_API,
  TEMPLATE_SEND_API,
} from '../../src/wechat/messages.js';
export {
  MASS_DELETE_API,
  MASS_GET_API,
  MASS_PREVIEW_API,
  MASS_SEND_API,
  MASS_SENDALL_API,
} from '../../src/wechat/mass.js';
export { QRCODE_CREATE_API } from '../../src/wechat/qrcode.js';
export {
  GENERATE_SCHEME_API,
  GENERATE_URLLINK_API,
  PHONE_NUMBER_API,
  WXACODE_UNLIMIT_API,
} from '../../src/wechat/miniprogram.js';
export {
  TAGS_BATCH_TAG_API,
  TAGS_BATCH_UNTAG_API,
  TAGS_CREATE_API,
  TAGS_DELETE_API,
  TAGS_GET_API,
  TAGS_UPDATE_API,
  UPDATE_REMARK_API,
  USERS_BY_TAG_API,
} from '../../src/wechat/tags.js';
