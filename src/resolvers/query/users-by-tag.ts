import type { QueryResolvers } from '../../generated/graphql.js';
import { decodeFollowerCursor } from '../cursor.js';
import { toLang } from '../enums.js';
import { assertIntInRange } from '../input.js';
import { assertKind } from '../message-input.js';
import { assertTagId } from '../tag-input.js';
import { USER_GET_PAGE_SIZE } from './followers.js';

export const usersByTag: NonNullable<QueryResolvers['usersByTag']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'usersByTag');
  assertTagId(args.tagId);
  const first = args.first ?? 100;
  assertIntInRange(first, 'first', 1, USER_GET_PAGE_SIZE);
  const after = args.after == null ? undefined : decodeFollowerCursor(args.after);
  const [page, known] = await Promise.all([
    app.apis.tags.members(args.tagId, after),
    app.apis.tagNames.tagsOf([args.tagId]),
  ]);
  const openids = page.openids.slice(0, first);
  return {
    app,
    lang: toLang(args.lang),
    openids,
    // user/tag/get counts only its page; the tag list counts the whole tag.
    totalCount: known[0]?.count ?? page.openids.length,
    hasNextPage:
      openids.length < page.openids.length ||
      (page.openids.length >= USER_GET_PAGE_SIZE && page.nextOpenid !== ''),
  };
};
