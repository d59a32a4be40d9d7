import type { MutationResolvers } from '../../generated/graphql.js';
import { assertIntInRange } from '../input.js';
import { assertKind, assertMsgId } from '../message-input.js';

export const massDelete: NonNullable<MutationResolvers['massDelete']> = async (
  _parent,
  args,
  context,
) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'massDelete');
  assertMsgId(args.msgId);
  const index = args.articleIndex ?? 0;
  assertIntInRange(index, 'articleIndex', 0, 8);
  await app.apis.mass.delete(args.msgId, index);
  return true;
};
