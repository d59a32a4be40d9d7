import type {
  FollowerConnectionResolvers,
  FollowerEdgeResolvers,
} from '../../generated/graphql.js';
import { encodeFollowerCursor } from '../cursor.js';

export const FollowerConnection: FollowerConnectionResolvers = {
  totalCount: (page) => page.totalCount,
  edges: (page) => page.openids.map((openid) => ({ app: page.app, lang: page.lang, openid })),
  // Through the request's loader: users of this page cost one batchget call per 100.
  nodes: (page, _args, context) => {
    const loader = context.users(page.app);
    return Promise.all(page.openids.map((openid) => loader.load({ openid, lang: page.lang })));
  },
  pageInfo: (page) => {
    const last = page.openids.at(-1);
    return {
      hasNextPage: page.hasNextPage,
      endCursor: last === undefined ? null : encodeFollowerCursor(last),
    };
  },
};

export const FollowerEdge: FollowerEdgeResolvers = {
  cursor: (edge) => encodeFollowerCursor(edge.openid),
  node: (edge, _args, context) =>
    context.users(edge.app).load({ openid: edge.openid, lang: edge.lang }),
};
