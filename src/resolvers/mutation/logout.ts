import type { MutationResolvers } from '../../generated/graphql.js';

export const logout: NonNullable<MutationResolvers['logout']> = async (_parent, _args, context) => {
  const session = context.auth.session('logout');
  // Present whenever a session could be identified at all.
  await context.sessions?.end(session);
  return true;
};
