import type { QueryResolvers } from '../../generated/graphql.js';
import { assertKind } from '../message-input.js';

export const tags: NonNullable<QueryResolvers['tags']> = (_parent, args, context) => {
  const app = context.apps.resolve(args.app);
  assertKind(app, 'official', 'tags');
  return app.apis.tags.list();
};
