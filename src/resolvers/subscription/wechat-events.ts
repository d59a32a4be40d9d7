import type { SubscriptionResolvers } from '../../generated/graphql.js';
import {
  toEventSource,
  type WechatEventRecord,
  type WechatEventSource,
} from '../../events/types.js';
import { eventArgs, eventLogError } from '../event-args.js';

/** The log's errors while streaming become the documented GraphQL errors. */
async function* asSources(
  stream: AsyncIterableIterator<WechatEventRecord>,
): AsyncGenerator<WechatEventSource> {
  try {
    for await (const event of stream) yield toEventSource(event);
  } catch (error) {
    // EVENTS_EXPIRED when it fell too far behind; the log unreachable: UPSTREAM_UNAVAILABLE.
    throw eventLogError(error);
  }
}

export const wechatEvents: NonNullable<SubscriptionResolvers['wechatEvents']> = {
  subscribe: async (_parent, args, context) => {
    context.auth.require('wechatEvents', 'SERVICE');
    const { app, kinds, after } = await eventArgs(context, args);
    return asSources(context.events.subscribe(app, kinds, after));
  },
  resolve: (source: WechatEventSource) => source,
};
