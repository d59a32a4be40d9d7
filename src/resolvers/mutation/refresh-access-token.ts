import type { MutationResolvers } from '../../generated/graphql.js';
import { assertAdmin } from '../../auth.js';

export const refreshAccessToken: NonNullable<MutationResolvers['refreshAccessToken']> = (
  _parent,
  args,
  context,
) => {
  assertAdmin(context);
  const app = context.apps.resolve(args.app);
  return app.tokens.refreshAccessToken({ force: args.force ?? false });
};
