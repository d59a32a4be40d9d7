import type { QueryResolvers } from '../../generated/graphql.js';

export const me: NonNullable<QueryResolvers['me']> = (_parent, _args, context) => {
  // The `app` argument was checked against the session's app with the access rule.
  const { app, openid, unionid } = context.auth.session('me');
  return { app, openid, unionid };
};
