import type { MutationResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';
import { assertTagName } from '../tag-input.js';

export const createTag: NonNullable<MutationResolvers['createTag']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'createTag');
  assertTagName(args.name);
  try {
    return await app.apis.tags.create(args.name);
  } finally {
    app.apis.tagNames.invalidate();
  }
};
