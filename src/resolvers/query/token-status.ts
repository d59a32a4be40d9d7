import type { QueryResolvers } from '../../generated/graphql.js';

export const tokenStatus: NonNullable<QueryResolvers['tokenStatus']> = (_parent, args, context) => {
  // Defence in depth behind the enforcement plugin: these fields hand out or move the token.
  context.auth.require('tokenStatus', 'ADMIN');
  return context.apps.resolve(args.app).tokens.status();
};
