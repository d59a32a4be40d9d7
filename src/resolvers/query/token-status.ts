import type { QueryResolvers } from '../../generated/graphql.js';
import { assertAdmin } from '../../auth.js';

export const tokenStatus: NonNullable<QueryResolvers['tokenStatus']> = (_parent, args, context) => {
  assertAdmin(context);
  return context.apps.resolve(args.app).tokens.status();
};
