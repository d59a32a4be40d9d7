import type { QueryResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { toLang } from '../enums.js';
import { assertOfficialAccount, assertOpenid } from '../input.js';

/** Ten batchget calls at most per field; larger lists belong in several requests. */
export const MAX_USERS_PER_FIELD = 1000;

export const users: NonNullable<QueryResolvers['users']> = (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertOfficialAccount(app, 'users');
  if (args.openids.length > MAX_USERS_PER_FIELD) {
    throw badUserInput(
      `"openids" may hold at most ${MAX_USERS_PER_FIELD} openids (got ${args.openids.length}).`,
    );
  }
  args.openids.forEach((openid, index) => assertOpenid(openid, `openids[${index}]`));
  const lang = toLang(args.lang);
  const loader = context.users(app);
  return Promise.all(args.openids.map((openid) => loader.load({ openid, lang })));
};
