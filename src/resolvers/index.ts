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

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSONObject: JSONObjectResolver,
  Query: { userInfo, users, followers, openid, jsapiConfig, me, accessToken, tokenStatus, events },
  Mutation: { login, logout, refreshAccessToken, resetTokenBreaker },
  Subscription: { wechatEvents },
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
