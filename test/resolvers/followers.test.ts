import { describe, expect, it } from 'vitest';
import { codesOf, useGateway } from '../support/harness.js';
import { BATCHGET_API, FOLLOWERS_API } from '../support/wechat-api.js';

interface Page {
  followers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { openid: string } }[];
    nodes: { openid: string }[];
  };
}

const PAGE_QUERY = `query ($first: Int, $after: String) {
  followers(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { openid } }
    nodes { openid }
  }
}`;

describe('followers', () => {
  const fx = useGateway();
  const all = () => fx.gw.emulator.followerOpenids(fx.gw.official.appId);

  it('pages through the followers with opaque cursors', async () => {
    const first = await fx.gw.query<Page>(PAGE_QUERY, { variables: { first: 5 } });
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data?.followers;
    expect(page?.totalCount).toBe(all().length);
    expect(page?.nodes.map((n) => n.openid)).toEqual(all().slice(0, 5));
    expect(page?.edges.map((e) => e.node.openid)).toEqual(all().slice(0, 5));
    expect(page?.pageInfo).toEqual({ hasNextPage: true, endCursor: page?.edges[4]?.cursor });
    // Cursors do not show the openid.
    expect(page?.pageInfo.endCursor).not.toContain(all()[4]);
    expect(fx.gw.emulator.calls(FOLLOWERS_API)).toBe(1);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(1);

    const second = await fx.gw.query<Page>(PAGE_QUERY, {
      variables: { first: 5, after: page?.pageInfo.endCursor },
    });
    expect(second.body.data?.followers.nodes.map((n) => n.openid)).toEqual(all().slice(5, 10));
    // Any edge's cursor works as `after` too.
    const fromEdge = await fx.gw.query<Page>(PAGE_QUERY, {
      variables: { first: 2, after: page?.edges[1]?.cursor },
    });
    expect(fromEdge.body.data?.followers.nodes.map((n) => n.openid)).toEqual(all().slice(2, 4));
  });

  it('ends with hasNextPage false and an empty page after the last follower', async () => {
    const whole = await fx.gw.query<Page>(
      '{ followers(first: 10000) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }',
    );
    const page = whole.body.data?.followers;
    expect(page?.edges).toHaveLength(all().length);
    expect(page?.pageInfo.hasNextPage).toBe(false);
    // Without nodes selected, no user is loaded.
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(0);

    const after = await fx.gw.query<Page>(PAGE_QUERY, {
      variables: { first: 10, after: page?.pageInfo.endCursor },
    });
    expect(after.body.data?.followers).toEqual({
      totalCount: all().length,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
      nodes: [],
    });
  });

  it('loads the nodes of a large page in batches of 100', async () => {
    const res = await fx.gw.query<Page>(
      '{ followers(first: 250) { nodes { openid subscribed } } }',
    );
    expect(res.body.data?.followers.nodes).toHaveLength(250);
    expect(fx.gw.emulator.calls(BATCHGET_API)).toBe(3);
  });

  it.each([0, -1, 10001])('rejects first: %i without calling WeChat', async (first) => {
    const res = await fx.gw.query(PAGE_QUERY, { variables: { first } });
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      `"first" must be between 1 and 10000 (got ${first}).`,
    );
    expect(fx.gw.emulator.calls(FOLLOWERS_API)).toBe(0);
  });

  it.each(['not-a-cursor', '', Buffer.from('follower:bad openid!').toString('base64url')])(
    'rejects a cursor %j that followers did not issue',
    async (after) => {
      const res = await fx.gw.query(PAGE_QUERY, { variables: { first: 1, after } });
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors?.[0]?.message).toBe(
        '"after" is not a cursor returned by "followers".',
      );
      expect(fx.gw.emulator.calls(FOLLOWERS_API)).toBe(0);
    },
  );

  it('refuses followers of a mini program', async () => {
    const res = await fx.gw.query('{ followers(app: "miniprogram") { totalCount } }');
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
  });
});
