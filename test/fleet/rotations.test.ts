/**
 * Fleet fault suite, part 1: real gateway processes on a Redis of the test's own, under client
 * load, through the rotations WeChat and other environments cause (issue 8's Done-when: 0
 * client-visible errors, ≤ 1 token call per rotation, ≤ 2 per foreign rotation).
 *
 * The gateways run on real time. Rotations come from the emulator's controls: a token taken by
 * another environment with the emulator's clock moved past the 300 s hand-over, a stable token
 * force-rotated by another environment or by an admin, and (refresh-ahead) tokens that the
 * emulator issues with a short lifetime. test/fleet/README.md explains the timings.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/tokens/keys.js';
import { BATCHGET_API } from '../support/wechat-api.js';
import { LOAD_CONNECTIONS } from './support/load.js';
import { FLEET_SIZE, useScenario } from './support/scenario.js';
import { LAST_WINDOW_MS, SHORT_REFRESH_AHEAD_SECONDS, SHORT_TOKENS } from './support/timings.js';

describe('fleet on Redis, stable mode', () => {
  const scenario = useScenario('stable fleet on Redis');

  it('cold stampede: 1 token call; the load counts errors; forced rotations in quick succession', async () => {
    const emulator = await scenario.emulator();
    const redis = await scenario.redis();
    await redis.start();
    const gateways = await scenario.gateways(FLEET_SIZE, { mode: 'stable', store: redis.url });
    const openid = await emulator.follower();

    // Every gateway starts cold, and the load hits all of them at once.
    const start = await scenario.mark();
    scenario.load(gateways, { openid });
    await sleep(2_500);
    const warm = await scenario.mark();
    scenario.phase('cold stampede', start, warm, { maxTokenCalls: 1, minTokenCalls: 1 });
    const first = await scenario.settle('cold stampede', gateways, 5_000);

    // Control: client-visible errors are counted by code. A gateway merges the look-ups of its
    // concurrent requests into one batchget, so one failed call fails each request it carried:
    // at least one and at most as many as the gateway has in flight (the load's connections).
    await emulator.failNext(BATCHGET_API, 7, 50002);
    await sleep(1_000);
    const injected = await scenario.mark();
    const controlCounts = {
      errors: injected.load.errors - warm.load.errors,
      rejected:
        (injected.load.byCode.UPSTREAM_REJECTED ?? 0) - (warm.load.byCode.UPSTREAM_REJECTED ?? 0),
    };
    scenario.note(
      `[fleet] stable fleet on Redis — control: 7 injected upstream errors counted as ${JSON.stringify(controlCounts)}`,
    );
    expect(controlCounts.errors).toBe(controlCounts.rejected);
    expect(controlCounts.rejected).toBeGreaterThanOrEqual(7);
    expect(controlCounts.rejected).toBeLessThanOrEqual(7 * LOAD_CONNECTIONS);

    // An admin rotates the token (force_refresh, no grace for the old one): that call only.
    const beforeForce = await scenario.mark();
    expect(await gateways[0]?.refreshAccessToken(true)).toEqual([]);
    const forced = await scenario.settle('admin forced refresh', gateways, 8_000, first);
    await sleep(1_000);
    const afterForce = await scenario.mark();
    scenario.phase('admin forced refresh', beforeForce, afterForce, {
      maxTokenCalls: 1,
      minTokenCalls: 1,
    });

    // Another environment force-refreshes the stable token twice, 6 s apart (within 30 s).
    const beforeFirst = await scenario.mark();
    const foreignFirst = await emulator.forceRotateStable();
    await scenario.settle('foreign forced rotation', gateways, 8_000, forced);
    await sleep(1_000);
    const afterFirst = await scenario.mark();
    scenario.phase('foreign forced rotation', beforeFirst, afterFirst, {
      maxTokenCalls: 2,
      minTokenCalls: 1,
    });
    await sleep(Math.max(0, beforeFirst.at + 6_000 - Date.now()));

    const beforeSecond = await scenario.mark();
    await emulator.forceRotateStable();
    await scenario.settle(
      'second foreign forced rotation',
      gateways,
      5_000,
      fingerprint(foreignFirst),
    );
    await sleep(1_000);
    const afterSecond = await scenario.finish();
    scenario.phase('second foreign forced rotation within 30 s', beforeSecond, afterSecond, {
      maxTokenCalls: 2,
      minTokenCalls: 1,
    });
  }, 90_000);
});

describe('fleet on Redis, legacy mode', () => {
  const scenario = useScenario('legacy fleet on Redis');

  it('cold stampede: 1 token call; a foreign legacy rotation, then another within 30 s', async () => {
    const emulator = await scenario.emulator();
    const redis = await scenario.redis();
    await redis.start();
    const gateways = await scenario.gateways(FLEET_SIZE, { mode: 'legacy', store: redis.url });
    const openid = await emulator.follower();

    const start = await scenario.mark();
    scenario.load(gateways, { openid });
    await sleep(2_500);
    const warm = await scenario.mark();
    scenario.phase('cold stampede', start, warm, { maxTokenCalls: 1, minTokenCalls: 1 });
    const first = await scenario.settle('cold stampede', gateways, 5_000);

    // Another environment fetches a legacy token; 300 s later ours is dead (40001).
    const beforeFirst = await scenario.mark();
    await emulator.takeLegacyToken();
    await emulator.advance(300);
    const second = await scenario.settle('foreign legacy rotation', gateways, 8_000, first);
    await sleep(1_000);
    const afterFirst = await scenario.mark();
    scenario.phase('foreign legacy rotation', beforeFirst, afterFirst, {
      maxTokenCalls: 2,
      minTokenCalls: 1,
    });
    await sleep(Math.max(0, beforeFirst.at + 8_000 - Date.now()));

    // The other environment does it again 8 s later (as one fetching every few seconds would).
    const beforeSecond = await scenario.mark();
    await emulator.takeLegacyToken();
    await emulator.advance(300);
    await scenario.settle('second foreign legacy rotation', gateways, 5_000, second);
    await sleep(1_000);
    const afterSecond = await scenario.finish();
    scenario.phase('second foreign legacy rotation within 30 s', beforeSecond, afterSecond, {
      maxTokenCalls: 2,
      minTokenCalls: 1,
    });
  }, 90_000);
});

describe('refresh-ahead on Redis, stable mode', () => {
  const scenario = useScenario('stable refresh-ahead on Redis');

  // Short-lived tokens (support/timings.ts): every instance's window opens 10-15.5 s after the
  // cold fetch, while stable_token already hands out the next token.
  it('one token call per rotation, no client error', async () => {
    const emulator = await scenario.emulator(SHORT_TOKENS);
    const redis = await scenario.redis();
    await redis.start();
    const gateways = await scenario.gateways(FLEET_SIZE, {
      mode: 'stable',
      store: redis.url,
      refreshAheadSeconds: SHORT_REFRESH_AHEAD_SECONDS,
    });
    const openid = await emulator.follower();

    const start = await scenario.mark();
    scenario.load(gateways, { openid });
    const cold = await scenario.settle('cold start', gateways, 5_000);
    await sleep(1_000);
    const warm = await scenario.mark();
    scenario.phase('cold start', start, warm, { maxTokenCalls: 1, minTokenCalls: 1 });

    // Every instance has passed its refresh-ahead window once all hold the new token.
    await scenario.settle('refresh-ahead rotation', gateways, LAST_WINDOW_MS + 3_000, cold);
    await sleep(500);
    const rotated = await scenario.finish();
    scenario.phase('refresh-ahead rotation', warm, rotated, {
      maxTokenCalls: 1,
      minTokenCalls: 1,
    });
  }, 90_000);
});
