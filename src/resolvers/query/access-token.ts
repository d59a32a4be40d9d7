import type { QueryResolvers } from '../../generated/graphql.js';

export const accessToken: NonNullable<QueryResolvers['accessToken']> = (_parent, args, context) => {
  // Defence in depth behind the enforcement plugin: these fields hand out or move the token.
  context.auth.require('accessToken', 'ADMIN');
  return context.apps.resolve(args.app).tokens.getAccessToken();
};
