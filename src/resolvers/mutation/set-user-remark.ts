import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertOpenid } from '../input.js';
import { assertKind } from '../message-input.js';
import { usersChanged } from '../users-changed.js';

export const setUserRemark: NonNullable<MutationResolvers['setUserRemark']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'setUserRemark');
  assertOpenid(args.openid, 'openid');
  if (Buffer.byteLength(args.remark, 'utf8') > 30) {
    throw badUserInput('"remark" may be at most 30 bytes (10 Chinese characters).');
  }
  try {
    await app.apis.tags.setRemark(args.openid, args.remark);
  } finally {
    // Even when the outcome is unknown: a dropped entry costs one look-up, a stale one misleads.
    usersChanged(context, app, { openids: [args.openid] });
  }
  return true;
};
