import type { LoginResultResolvers, ViewerResolvers } from '../../generated/graphql.js';
import { toLang } from '../enums.js';
import { OpenidResult } from './openid-result.js';

export const LoginResult: LoginResultResolvers = {
  token: (grant) => grant.token,
  expiresAt: (grant) => new Date(grant.expiresAt),
  openid: (grant) => grant.openid,
  unionid: (grant) => grant.unionid || null,
  scope: (grant) => grant.scope || null,
  // The same rules as `openid { profile }`: only for an official account's snsapi_userinfo grant.
  profile: OpenidResult.profile,
};

export const Viewer: ViewerResolvers = {
  app: (viewer) => viewer.app.name,
  openid: (viewer) => viewer.openid,
  unionid: (viewer) => viewer.unionid,
  user: (viewer, args, context) =>
    viewer.app.kind === 'official'
      ? context.users(viewer.app).load({ openid: viewer.openid, lang: toLang(args.lang) })
      : null,
};
