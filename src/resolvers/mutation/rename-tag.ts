import type { MutationResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';
import { assertTagId, assertTagName } from '../tag-input.js';

export const renameTag: NonNullable<MutationResolvers['renameTag']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'renameTag');
  assertTagId(args.tagId);
  assertTagName(args.name);
  try {
    await app.apis.tags.rename(args.tagId, args.name);
  } finally {
    app.apis.tagNames.invalidate();
  }
  const [renamed] = await app.apis.tagNames.tagsOf([args.tagId]);
  return renamed ?? { id: args.tagId, name: args.name, count: 0 };
};
