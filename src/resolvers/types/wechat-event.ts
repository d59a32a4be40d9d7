import type { Resolvers } from '../../generated/graphql.js';
import { EVENT_TYPENAMES, type WechatEventSource } from '../../events/types.js';

/** Each stored event names its kind; the kind names its GraphQL type (one table, types.ts). */
export const WechatEvent: NonNullable<Resolvers['WechatEvent']> = {
  __resolveType: (source: WechatEventSource) => EVENT_TYPENAMES[source.kind],
};
