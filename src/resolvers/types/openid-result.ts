import type { OAuthProfileResolvers, OpenidResultResolvers } from '../../generated/graphql.js';
import { toLang } from '../enums.js';

const grantsUserinfo = (scope: string | null): boolean =>
  scope !== null && scope.split(',').some((s) => s.trim() === 'snsapi_userinfo');

export const OpenidResult: OpenidResultResolvers = {
  openid: (grant) => grant.openid,
  unionid: (grant) => grant.unionid || null,
  scope: (grant) => grant.scope || null,
  // Resolved only when selected; snsapi_base grants and mini programs have no profile to give.
  profile: (grant, args) => {
    if (grant.oauthAccessToken === null || !grantsUserinfo(grant.scope)) return null;
    return grant.app.api.getOAuthUserInfo(grant.oauthAccessToken, grant.openid, toLang(args.lang));
  },
};

export const OAuthProfile: OAuthProfileResolvers = {
  nickname: (profile) => profile.nickname,
  avatarUrl: (profile) => profile.headimgurl || null,
  privilege: (profile) => profile.privilege ?? [],
};
