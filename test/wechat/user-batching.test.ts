/**
 * User look-ups of concurrent operations share batchget calls. The batch window is held by the
 * test (the scheduler the gateway is given), so what merges does not depend on how fast this
 * machine is: the test lets the batch go once every operation's keys are waiting.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BatchScheduler } from '../../src/wechat/user-batcher.js';
import { BATCHGET_API } from '../support/wechat-api.js';
import { codesOf, startGateway, type Gateway, type GraphQLResult } from '../support/harness.js';

/** Holds every batch until `release`; a batch that fills up goes without it. */
function heldWindow(): { schedule: BatchScheduler; release(): void } {
  const held: (() => void)[] = [];
  return {
    schedule: (flush) => {
      held.push(flush);
    },
    release() {
      for (const flush of held.splice(0)) flush();
    },
  };
}

const USER = 'query ($openid: String!) { userInfo(openid: $openid) { openid } }';
const USERS = 'query ($openids: [String!]!) { users(openids: $openids) { openid } }';

async function withGateway(
  options: Parameters<typeof startGateway>[0],
  body: (gw: Gateway) => Promise<void>,
): Promise<void> {
  const gw = await startGateway(options);
  try {
    await body(gw);
  } finally {
    await gw.close();
  }
}

/** Starts the operations, waits until `keys` look-ups wait for the batch, releases it. */
async function together<T>(
  gw: Gateway,
  window: ReturnType<typeof heldWindow>,
  keys: number,
  operations: Promise<T>[],
): Promise<T[]> {
  await vi.waitFor(() => expect(gw.official.users.waiting()).toBe(keys));
  window.release();
  return Promise.all(operations);
}

/** One `userInfo` operation per openid, all started at once. */
const userOperations = (gw: Gateway, openids: readonly string[]) =>
  openids.map((openid) => gw.query(USER, { variables: { openid } }));

const unknownOpenid = (i: number) => `oUnknownUser${String(i).padStart(16, '0')}`;

describe('user look-ups across operations', () => {
  it('answers 50 concurrent operations, one user each, with one batchget call', async () => {
    const window = heldWindow();
    await withGateway({ users: { schedule: window.schedule } }, async (gw) => {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 50);
      const results = await together(gw, window, 50, userOperations(gw, openids));
      results.forEach((res, i) => {
        expect(res.body).toEqual({ data: { userInfo: { openid: openids[i] } } });
      });
      expect(gw.emulator.calls(BATCHGET_API)).toBe(1);
    });
  });

  it('sends a full batch of 100 at once, without waiting for the window', async () => {
    const window = heldWindow();
    await withGateway({ users: { schedule: window.schedule } }, async (gw) => {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 120);
      const first = gw.query(USERS, { variables: { openids: openids.slice(0, 60) } });
      const second = gw.query(USERS, { variables: { openids: openids.slice(60) } });
      // 100 of the 120 went as soon as they were there; 20 wait for the window.
      await vi.waitFor(() => expect(gw.emulator.calls(BATCHGET_API)).toBe(1));
      expect(gw.official.users.waiting()).toBe(20);
      window.release();
      const results = await Promise.all([first, second]);
      expect(results.map((res) => res.body.errors)).toEqual([undefined, undefined]);
      expect(gw.emulator.calls(BATCHGET_API)).toBe(2);
    });
  });

  it('fails an unknown openid in its own operation only, with a bounded number of extra calls', async () => {
    const window = heldWindow();
    await withGateway({ users: { schedule: window.schedule } }, async (gw) => {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 50);
      openids[17] = unknownOpenid(1);
      const results = await together(gw, window, 50, userOperations(gw, openids));
      results.forEach((res, i) => {
        if (i === 17) return;
        expect(res.body).toEqual({ data: { userInfo: { openid: openids[i] } } });
      });
      expect(results[17]?.body.errors).toEqual([
        expect.objectContaining({
          path: ['userInfo'],
          extensions: {
            code: 'BAD_USER_INPUT',
            wechat: { errcode: 40003, rid: expect.any(String) },
          },
        }),
      ]);
      // The merged call, then halvings along operations: 2·⌈log2 50⌉ = 12 at most.
      const calls = gw.emulator.calls(BATCHGET_API);
      expect(calls).toBeGreaterThan(1);
      expect(calls).toBeLessThanOrEqual(1 + 12);
    });
  });

  it('charges the halvings inside an operation to that operation alone', async () => {
    const window = heldWindow();
    await withGateway({ users: { schedule: window.schedule } }, async (gw) => {
      const good = gw.emulator.followerOpenids(gw.official.appId).slice(0, 49);
      const bad = Array.from({ length: 30 }, (_, i) => unknownOpenid(i));
      const badOperation = gw.query(USERS, { variables: { openids: bad } });
      const goodOperations = userOperations(gw, good);
      const [badResult, ...goodResults] = await together(gw, window, 79, [
        badOperation,
        ...goodOperations,
      ]);
      goodResults.forEach((res, i) => {
        expect(res.body).toEqual({ data: { userInfo: { openid: good[i] } } });
      });
      expect(badResult?.body.data).toBeNull();
      expect(new Set(codesOf(badResult?.body ?? {}))).toEqual(new Set(['BAD_USER_INPUT']));
      // The merged call; ≤12 halving along the 50 operations; ≤14 inside the bad one (its budget).
      expect(gw.emulator.calls(BATCHGET_API)).toBeLessThanOrEqual(1 + 12 + 14);
    });
  });

  it('fails every operation of the batch on an error that is not about one openid', async () => {
    const window = heldWindow();
    await withGateway({ users: { schedule: window.schedule } }, async (gw) => {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 3);
      // -1 is retried once for reads: two failures exhaust the one call's attempts.
      gw.emulator.failNext(BATCHGET_API, 2, { errcode: -1 });
      const results = await together(gw, window, 3, userOperations(gw, openids));
      for (const res of results) {
        expect(res.body.errors?.[0]?.extensions).toEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          wechat: { errcode: -1, rid: expect.any(String) },
        });
      }
      expect(gw.emulator.calls(BATCHGET_API)).toBe(2);
    });
  });

  it('still caps the distinct users of each operation when operations merge', async () => {
    const window = heldWindow();
    await withGateway(
      { users: { schedule: window.schedule }, queryLimits: { maxUsers: 3 } },
      async (gw) => {
        const openids = gw.emulator.followerOpenids(gw.official.appId);
        const tooMany = gw.query(USERS, { variables: { openids: openids.slice(0, 4) } });
        const fits = gw.query(USERS, { variables: { openids: openids.slice(4, 7) } });
        // The four keys of the first operation are refused before they reach the batch.
        const [refused, served] = (await together(gw, window, 3, [tooMany, fits])) as [
          GraphQLResult<unknown>,
          GraphQLResult<unknown>,
        ];
        expect(refused.body.errors?.[0]).toMatchObject({
          message: 'The operation looks up more than 3 distinct users; split it.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        });
        expect(served.body).toEqual({
          data: { users: openids.slice(4, 7).map((openid) => ({ openid })) },
        });
        expect(gw.emulator.calls(BATCHGET_API)).toBe(1);
      },
    );
  });

  it.each([
    ['the default window (one turn of the event loop)', undefined],
    ['a window of 2 ms', 2],
  ])('merges concurrent operations with %s', async (_name, batchWindowMs) => {
    await withGateway({ users: { batchWindowMs } }, async (gw) => {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 50);
      const results = await Promise.all(userOperations(gw, openids));
      results.forEach((res, i) => {
        expect(res.body).toEqual({ data: { userInfo: { openid: openids[i] } } });
      });
      expect(gw.emulator.calls(BATCHGET_API)).toBeLessThan(50);
    });
  });
});
