import type { QueryResolvers } from '../../generated/graphql.js';
import { assertCode } from '../input.js';

export const openid: NonNullable<QueryResolvers['openid']> = async (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertCode(args.code);
  if (app.kind === 'miniprogram') {
    // session_key is dropped right here: it is never returned, stored or logged.
    const session = await app.api.code2Session(args.code);
    return {
      app,
      openid: session.openid,
      unionid: session.unionid ?? null,
      scope: null,
      oauthAccessToken: null,
    };
  }
  const grant = await app.api.exchangeOAuthCode(args.code);
  return {
    app,
    openid: grant.openid,
    unionid: grant.unionid ?? null,
    scope: grant.scope,
    oauthAccessToken: grant.access_token,
  };
};
