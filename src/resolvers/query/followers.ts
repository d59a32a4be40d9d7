import type { QueryResolvers } from '../../generated/graphql.js';
import { decodeFollowerCursor } from '../cursor.js';
import { toLang } from '../enums.js';
import { assertIntInRange, assertOfficialAccount } from '../input.js';

/** `/cgi-bin/user/get` returns at most 10 000 openids per call. */
export const USER_GET_PAGE_SIZE = 10_000;

export const followers: NonNullable<QueryResolvers['followers']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertOfficialAccount(app, 'followers');
  const first = args.first ?? 100;
  assertIntInRange(first, 'first', 1, USER_GET_PAGE_SIZE);
  const after =
    args.after === null || args.after === undefined ? undefined : decodeFollowerCursor(args.after);
  const page = await app.api.getFollowers(after);
  const listed = page.data?.openid ?? [];
  const openids = listed.slice(0, first);
  return {
    app,
    lang: toLang(args.lang),
    openids,
    totalCount: page.total,
    // A full upstream page may be followed by more; a short one is the end of the list.
    hasNextPage:
      openids.length < listed.length ||
      (listed.length >= USER_GET_PAGE_SIZE && page.next_openid !== ''),
  };
};
