import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.js';
import { login } from './mutation/login.js';
import { logout } from './mutation/logout.js';
import { refreshAccessToken } from './mutation/refresh-access-token.js';
import { resetTokenBreaker } from './mutation/reset-token-breaker.js';
import { accessToken } from './query/access-token.js';
import { events } from './query/events.js';
import { followers } from './query/followers.js';
import { jsapiConfig } from './query/jsapi-config.js';
import { me } from './query/me.js';
import { openid } from './query/openid.js';
import { tokenStatus } from './query/token-status.js';
import { userInfo } from './query/user-info.js';
import { users } from './query/users.js';
import { wechatEvents } from './subscription/wechat-events.js';
import { FollowerConnection, FollowerEdge } from './types/follower-connection.js';
import { OAuthProfile, OpenidResult } from './types/openid-result.js';
import {
  AccessToken,
  BreakerState,
  QuotaLedger,
  RefreshBudget,
  TokenCallCount,
  TokenStatus,
} from './types/token.js';
import { LoginResult, Viewer } from './types/session.js';
import { WechatEvent } from './types/wechat-event.js';
import { WechatUser } from './types/wechat-user.js';
import { Tag } from './types/tag.js';
import { createQrCode } from './mutation/create-qr-code.js';
import { createTag } from './mutation/create-tag.js';
import { deleteTag } from './mutation/delete-tag.js';
import { massDelete } from './mutation/mass-delete.js';
import { massPreview } from './mutation/mass-preview.js';
import { massSend } from './mutation/mass-send.js';
import { miniProgramLink } from './mutation/mini-program-link.js';
import { renameTag } from './mutation/rename-tag.js';
import { sendSubscribeMessage } from './mutation/send-subscribe-message.js';
import { sendTemplateMessage } from './mutation/send-template-message.js';
import { setUserRemark } from './mutation/set-user-remark.js';
import { tagUsers } from './mutation/tag-users.js';
import { untagUsers } from './mutation/untag-users.js';
import { massStatus } from './query/mass-status.js';
import { miniProgramCode } from './query/mini-program-code.js';
import { phoneNumber } from './query/phone-number.js';
import { tags } from './query/tags.js';
import { usersByTag } from './query/users-by-tag.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSONObject: JSONObjectResolver,
  Query: {
    userInfo,
    users,
    followers,
    openid,
    jsapiConfig,
    me,
    accessToken,
    tokenStatus,
    massStatus,
    miniProgramCode,
    phoneNumber,
    tags,
    usersByTag,
    events,
  },
  Mutation: {
    login,
    logout,
    refreshAccessToken,
    resetTokenBreaker,
    sendTemplateMessage,
    sendSubscribeMessage,
    massSend,
    massPreview,
    massDelete,
    createQrCode,
    miniProgramLink,
    createTag,
    renameTag,
    deleteTag,
    tagUsers,
    untagUsers,
    setUserRemark,
  },
  Subscription: { wechatEvents },
  Tag,
  WechatEvent,
  WechatUser,
  FollowerConnection,
  FollowerEdge,
  OpenidResult,
  OAuthProfile,
  LoginResult,
  Viewer,
  AccessToken,
  TokenStatus,
  QuotaLedger,
  TokenCallCount,
  BreakerState,
  RefreshBudget,
};
