import type { MutationResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';
import { assertTagId, assertTagOpenids } from '../tag-input.js';
import { usersChanged } from '../users-changed.js';

export const tagUsers: NonNullable<MutationResolvers['tagUsers']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'tagUsers');
  assertTagId(args.tagId);
  assertTagOpenids(args.openids);
  try {
    await app.apis.tags.tagUsers(args.tagId, args.openids);
  } finally {
    usersChanged(context, app, { openids: args.openids });
  }
  return true;
};
