import type { MutationResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';
import { assertTagId, assertTagOpenids } from '../tag-input.js';
import { usersChanged } from '../users-changed.js';

export const untagUsers: NonNullable<MutationResolvers['untagUsers']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'untagUsers');
  assertTagId(args.tagId);
  assertTagOpenids(args.openids);
  try {
    await app.apis.tags.untagUsers(args.tagId, args.openids);
  } finally {
    usersChanged(context, app, { openids: args.openids });
  }
  return true;
};
