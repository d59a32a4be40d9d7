import type { MutationResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';
import { assertTagId } from '../tag-input.js';
import { usersChanged } from '../users-changed.js';

export const deleteTag: NonNullable<MutationResolvers['deleteTag']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'deleteTag');
  assertTagId(args.tagId);
  try {
    await app.apis.tags.delete(args.tagId);
  } finally {
    app.apis.tagNames.invalidate();
    // WeChat takes the tag off its users: cached tag lists holding it are stale.
    usersChanged(context, app, { tagId: args.tagId });
  }
  return true;
};
