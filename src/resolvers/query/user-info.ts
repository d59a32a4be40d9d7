import type { QueryResolvers } from '../../generated/graphql.js';
import { toLang } from '../enums.js';
import { assertOfficialAccount, assertOpenid } from '../input.js';

export const userInfo: NonNullable<QueryResolvers['userInfo']> = (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertOfficialAccount(app, 'userInfo');
  assertOpenid(args.openid, 'openid');
  return context.users(app).load({ openid: args.openid, lang: toLang(args.lang) });
};
