import type { QueryResolvers } from '../../generated/graphql.js';
import { toEventSource } from '../../events/types.js';
import { assertIntInRange } from '../input.js';
import { eventArgs, eventLogError } from '../event-args.js';

export const events: NonNullable<QueryResolvers['events']> = async (_parent, args, context) => {
  context.auth.require('events', 'SERVICE');
  assertIntInRange(args.first, 'first', 1, 1000);
  const { app, kinds, after } = await eventArgs(context, args);
  try {
    const page = await context.events.page(app, kinds, after, args.first);
    return {
      nodes: page.nodes.map(toEventSource),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  } catch (error) {
    throw eventLogError(error);
  }
};
