import type { QueryResolvers } from '../../generated/graphql.js';
import { exchangeLoginCode } from '../../wechat/login.js';
import { assertCode } from '../input.js';

export const openid: NonNullable<QueryResolvers['openid']> = async (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertCode(args.code);
  // A mini program's session_key is dropped right here: a service asking who a code belongs to
  // opens no session, so nothing needs it.
  const { openid, unionid, scope, oauthAccessToken } = await exchangeLoginCode(app.api, args.code);
  return { app, openid, unionid, scope, oauthAccessToken };
};
