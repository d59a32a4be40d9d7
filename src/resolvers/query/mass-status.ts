import type { QueryResolvers } from '../../generated/graphql.js';
import { assertKind, assertMsgId } from '../message-input.js';

export const massStatus: NonNullable<QueryResolvers['massStatus']> = (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'massStatus');
  assertMsgId(args.msgId);
  return app.apis.mass.status(args.msgId);
};
