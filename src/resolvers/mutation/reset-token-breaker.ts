import type { MutationResolvers } from '../../generated/graphql.js';
import { assertAdmin } from '../../auth.js';

export const resetTokenBreaker: NonNullable<MutationResolvers['resetTokenBreaker']> = async (
  _parent,
  args,
  context,
) => {
  assertAdmin(context);
  const app = context.apps.resolve(args.app);
  await app.tokens.resetBreaker();
  return app.tokens.status();
};
