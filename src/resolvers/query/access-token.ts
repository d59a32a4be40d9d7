import type { QueryResolvers } from '../../generated/graphql.js';
import { assertAdmin } from '../../auth.js';

export const accessToken: NonNullable<QueryResolvers['accessToken']> = (_parent, args, context) => {
  assertAdmin(context);
  return context.apps.resolve(args.app).tokens.getAccessToken();
};
