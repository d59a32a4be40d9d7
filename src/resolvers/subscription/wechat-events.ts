import type { SubscriptionResolvers } from '../../generated/graphql.js';
import {
  toEventSource,
  type WechatEventRecord,
  type WechatEventSource,
} from '../../events/types.js';
import { eventArgs, eventLogError } from '../event-args.js';
import { TooManySubscriptionsError } from '../../events/index.js';
import { rateLimited } from '../../shared/graphql-errors.js';

/**
 * The log's records as event sources, its errors as the documented GraphQL errors (EVENTS_EXPIRED
 * when it fell too far behind; the log unreachable: UPSTREAM_UNAVAILABLE). A plain iterator, so
 * a client that leaves ends the stream at once (a generator would wait for the next event).
 */
function asSources(
  stream: AsyncIterableIterator<WechatEventRecord>,
): AsyncIterableIterator<WechatEventSource> {
  return {
    async next() {
      try {
        const result = await stream.next();
        return result.done ? result : { done: false, value: toEventSource(result.value) };
      } catch (error) {
        throw eventLogError(error);
      }
    },
    async return() {
      await stream.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export const wechatEvents: NonNullable<SubscriptionResolvers['wechatEvents']> = {
  subscribe: async (_parent, args, context) => {
    context.auth.require('wechatEvents', 'SERVICE');
    const { app, kinds, after } = await eventArgs(context, args);
    try {
      return asSources(context.events.subscribe(app, kinds, after, context.credentialId()));
    } catch (error) {
      if (!(error instanceof TooManySubscriptionsError)) throw error;
      throw rateLimited(
        `This key has ${error.limit} live wechatEvents subscriptions on this instance (EVENTS_SUBSCRIPTIONS_PER_CALLER); close one before opening another.`,
        5,
      );
    }
  },
  resolve: (source: WechatEventSource) => source,
};
