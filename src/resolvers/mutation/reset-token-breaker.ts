import type { MutationResolvers } from '../../generated/graphql.js';

export const resetTokenBreaker: NonNullable<MutationResolvers['resetTokenBreaker']> = async (
  _parent,
  args,
  context,
) => {
  // Defence in depth behind the enforcement plugin: these fields hand out or move the token.
  context.auth.require('resetTokenBreaker', 'ADMIN');
  const app = context.apps.resolve(args.app);
  await app.tokens.resetBreaker();
  return app.tokens.status();
};
