/**
 * `query events` pages through the log, `types` filters without losing the position, and both
 * fields refuse an `after` that is not an id (BAD_USER_INPUT) or that the log no longer reaches
 * (EVENTS_EXPIRED).
 */
import { describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { CALLBACK, GH_ID, postPush, subscribeSse } from './helpers.js';

const fx = useGateway({ events: { callbacks: { official: CALLBACK }, retain: 5 } });

async function clicks(gw: Gateway, keys: string[]): Promise<void> {
  for (const key of keys) {
    const message = pushMessages.menuClick(
      {
        to: GH_ID,
        openid: 'oUser000000000000000000001',
        createTime: Math.floor(gw.clock.now() / 1000),
      },
      key,
    );
    expect(
      (await postPush(gw.yoga.fetch, 'http://gateway.test', gw.clock.now(), message)).status,
    ).toBe(200);
  }
}

interface Page {
  nodes: { id: string; key?: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function page(gw: Gateway, variables: Record<string, unknown>) {
  return gw.query<{ events: Page }>(
    `query ($after: ID, $first: Int, $types: [WechatEventType!]) {
      events(after: $after, first: $first, types: $types) {
        nodes { id ... on MenuClickEvent { key } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { variables },
  );
}

describe('query events', () => {
  it('pages through the log oldest first', async () => {
    const { gw } = fx;
    await clicks(gw, ['a', 'b', 'c']);
    const first = (await page(gw, { first: 2 })).body.data?.events;
    expect(first?.nodes.map((n) => n.key)).toEqual(['a', 'b']);
    expect(first?.pageInfo).toEqual({ hasNextPage: true, endCursor: first?.nodes[1]?.id });
    const second = (await page(gw, { first: 2, after: first?.pageInfo.endCursor })).body.data
      ?.events;
    expect(second?.nodes.map((n) => n.key)).toEqual(['c']);
    expect(second?.pageInfo).toEqual({ hasNextPage: false, endCursor: second?.nodes[0]?.id });
    const empty = (await page(gw, { after: second?.pageInfo.endCursor })).body.data?.events;
    expect(empty).toEqual({
      nodes: [],
      pageInfo: { hasNextPage: false, endCursor: second?.pageInfo.endCursor },
    });
  });

  it('moves the cursor past the kinds it filtered out', async () => {
    const { gw } = fx;
    await clicks(gw, ['a']);
    const unfollow = await postPush(
      gw.yoga.fetch,
      'http://gateway.test',
      gw.clock.now(),
      pushMessages.unfollow({
        to: GH_ID,
        openid: 'oGone',
        createTime: Math.floor(gw.clock.now() / 1000),
      }),
    );
    expect(unfollow.status).toBe(200);
    const all = (await page(gw, {})).body.data?.events.nodes ?? [];
    const result = (await page(gw, { types: ['UNFOLLOW'] })).body.data?.events;
    expect(result?.nodes).toEqual([{ id: all[1]?.id }]);
    const clicksOnly = (await page(gw, { types: ['MENU_CLICK'] })).body.data?.events;
    expect(clicksOnly?.nodes.map((n) => n.key)).toEqual(['a']);
    expect(clicksOnly?.pageInfo.endCursor).toBe(all[1]?.id);
  });

  it('refuses an after that is not an event id, and a first outside 1–1000', async () => {
    const { gw } = fx;
    const bad = await page(gw, { after: 'yesterday' });
    expect(bad.body.errors?.[0]).toMatchObject({
      message: '"after" must be the id of an event (e.g. "1768442400000-0").',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect((await page(gw, { first: 1001 })).body.errors?.[0]?.extensions?.['code']).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('answers EVENTS_EXPIRED for an after the log no longer reaches, query and subscription alike', async () => {
    const { gw } = fx;
    await clicks(gw, ['old']);
    const oldId = (await page(gw, {})).body.data?.events.nodes[0]?.id;
    await clicks(gw, ['1', '2', '3', '4', '5', '6']);
    const expired = await page(gw, { after: oldId });
    expect(expired.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: expect.stringContaining(`The events after "${oldId}" are no longer kept`),
          extensions: { code: 'EVENTS_EXPIRED' },
        }),
      ],
    });
    const sub = await subscribeSse(
      gw.yoga.fetch,
      'http://gateway.test/graphql',
      'subscription ($after: ID) { wechatEvents(after: $after) { id } }',
      { authorization: `Bearer ${gw.access.serviceApiKeys[0]}` },
      { after: oldId },
    );
    try {
      expect(await sub.next()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'EVENTS_EXPIRED' } })],
      });
    } finally {
      await sub.close();
    }
    // The oldest kept id still works.
    const kept = (await page(gw, {})).body.data?.events.nodes ?? [];
    expect(kept).toHaveLength(5);
    expect((await page(gw, { after: kept[0]?.id })).body.data?.events.nodes).toHaveLength(4);
  });
});
