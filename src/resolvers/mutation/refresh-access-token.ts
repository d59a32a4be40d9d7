import type { MutationResolvers } from '../../generated/graphql.js';

export const refreshAccessToken: NonNullable<MutationResolvers['refreshAccessToken']> = (
  _parent,
  args,
  context,
) => {
  // Defence in depth behind the enforcement plugin: these fields hand out or move the token.
  context.auth.require('refreshAccessToken', 'ADMIN');
  const app = context.apps.resolve(args.app);
  return app.tokens.refreshAccessToken({ force: args.force ?? false });
};
