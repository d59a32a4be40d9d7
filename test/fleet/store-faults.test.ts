/**
 * Fleet fault suite, part 2: the shared store fails under a running fleet. Redis is killed
 * (SIGKILL: connections refused, data gone) or hung (SIGSTOP: connections open, nothing
 * answered) across a rotation, then comes back; or it is not there when the gateways start.
 * Issue 8's Done-when: 0 client-visible errors, ≤ 1 token call per instance while the store is
 * down and ≤ 1 per rotation once it is back, the fleet converges on one token, and no stale token
 * from before a hang is adopted at the next rotation.
 *
 * Stable mode rotates by expiry (every token 42001): stable_token then hands the same new token
 * to every instance, so each may fetch once. Legacy mode cannot survive that without a store
 * (every fetch kills the token two fetches back, so at most two of N uncoordinated instances
 * hold a live token): there the rotation is refresh-ahead with short-lived tokens
 * (support/timings.ts), and the store is down from before the first instance's window until
 * after the last one's, while the token is still valid. test/fleet/README.md has the timelines.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { allReachStore } from './support/gateway.js';
import { FLEET_SIZE, useScenario, waitFor, type Scenario } from './support/scenario.js';
import {
  FIRST_WINDOW_MS,
  LAST_WINDOW_MS,
  SERVED_UNTIL_MS,
  SHORT_REFRESH_AHEAD_SECONDS,
  SHORT_TOKENS,
} from './support/timings.js';

/** From just before the cold fetch: the store fails before the first window, returns after the last. */
const STORE_FAILS_AT_MS = FIRST_WINDOW_MS - 6_000;
const STORE_RETURNS_AT_MS = LAST_WINDOW_MS + 1_500;

/** Sleeps until `ms` after `since`. */
const until = (since: number, ms: number): Promise<void> =>
  sleep(Math.max(0, since + ms - Date.now()));

/** A fleet in stable mode on a Redis of its own, under load, its cold start settled. */
async function stableFleetUnderLoad(scenario: Scenario) {
  const emulator = await scenario.emulator();
  const redis = await scenario.redis();
  await redis.start();
  const gateways = await scenario.gateways(FLEET_SIZE, { mode: 'stable', store: redis.url });
  scenario.load(gateways, { openid: await emulator.follower() });
  await scenario.settle('cold start', gateways, 5_000);
  await sleep(1_000);
  return { emulator, redis, gateways };
}

/**
 * A fleet in legacy mode with short tokens on a Redis of its own, under load: its cold start
 * measured as a phase, returned at STORE_FAILS_AT_MS (`beforeFault`), when the test fails Redis.
 */
async function legacyFleetUntilStoreFails(scenario: Scenario) {
  const emulator = await scenario.emulator(SHORT_TOKENS);
  const redis = await scenario.redis();
  await redis.start();
  const gateways = await scenario.gateways(FLEET_SIZE, {
    mode: 'legacy',
    store: redis.url,
    refreshAheadSeconds: SHORT_REFRESH_AHEAD_SECONDS,
  });
  const start = await scenario.mark();
  scenario.load(gateways, { openid: await emulator.follower() });
  await scenario.settle('cold start', gateways, 3_000);

  await until(start.at, STORE_FAILS_AT_MS);
  const beforeFault = await scenario.mark();
  scenario.phase('cold start', start, beforeFault, { maxTokenCalls: 1, minTokenCalls: 1 });
  return { emulator, redis, gateways, start, beforeFault };
}

describe('Redis outage across a rotation', () => {
  const scenario = useScenario('Redis outage');

  it('stable mode: killed, every token expires, restarted', async () => {
    const { emulator, redis, gateways } = await stableFleetUnderLoad(scenario);

    const down = await scenario.mark();
    await redis.kill();
    expect(await redis.answers()).toBe(false);
    await emulator.expireTokens();
    await sleep(3_000);
    const stillDown = await scenario.mark();
    scenario.phase('rotation while Redis is down', down, stillDown, {
      maxTokenCalls: FLEET_SIZE,
      minTokenCalls: 1,
      note: 'at most 1 per instance',
    });

    await redis.start();
    await waitFor(
      'every gateway to reconnect to Redis',
      async () => ((await allReachStore(gateways)) ? true : undefined),
      15_000,
    );
    const token = await scenario.settle('Redis back', gateways, 5_000);
    await sleep(1_000);
    const back = await scenario.mark();
    scenario.phase('Redis back', stillDown, back, { maxTokenCalls: 1 });

    await emulator.expireTokens();
    await scenario.settle('next rotation with Redis back', gateways, 8_000, token);
    await sleep(1_500);
    const later = await scenario.finish();
    scenario.phase('next rotation with Redis back', back, later, {
      maxTokenCalls: 1,
      minTokenCalls: 1,
    });
  }, 90_000);

  it('legacy mode: killed before the refresh-ahead windows, restarted after them', async () => {
    const {
      redis,
      gateways,
      start,
      beforeFault: down,
    } = await legacyFleetUntilStoreFails(scenario);
    await redis.kill();
    expect(await redis.answers()).toBe(false);
    await until(start.at, STORE_RETURNS_AT_MS);
    const stillDown = await scenario.mark();
    scenario.phase('refresh-ahead windows while Redis is down', down, stillDown, {
      maxTokenCalls: FLEET_SIZE,
      note: 'at most 1 per instance',
    });

    await redis.start();
    // Before the token stops being served, or just after: a cold fetch with Redis back.
    await scenario.settle(
      'Redis back',
      gateways,
      Math.max(1_000, start.at + SERVED_UNTIL_MS + 4_000 - Date.now()),
    );
    await sleep(1_000);
    const back = await scenario.finish();
    scenario.phase('Redis back: converged on one token', stillDown, back, { maxTokenCalls: 1 });
  }, 90_000);
});

describe('Redis hang (SIGSTOP) across a rotation, then a later rotation', () => {
  const scenario = useScenario('Redis hang');

  it('stable mode: hung, every token expires, resumed, then another environment force-refreshes', async () => {
    const { emulator, redis, gateways } = await stableFleetUnderLoad(scenario);

    const hung = await scenario.mark();
    redis.hang();
    expect(await redis.answers()).toBe(false);
    await emulator.expireTokens();
    // Every store command now waits out its 2 s deadline before the gateways go on without it.
    await sleep(5_000);
    const stillHung = await scenario.mark();
    scenario.phase('rotation while Redis hangs', hung, stillHung, {
      maxTokenCalls: FLEET_SIZE,
      minTokenCalls: 1,
      note: 'at most 1 per instance',
    });

    redis.resume();
    expect(await redis.answers(2_000)).toBe(true);
    await sleep(2_000);
    const resumedToken = await scenario.settle('Redis resumed', gateways, 3_000);
    const resumed = await scenario.mark();
    scenario.phase('Redis resumed', stillHung, resumed, { maxTokenCalls: 1 });

    // The store may still hold the token from before the hang: it must not come back.
    await emulator.forceRotateStable();
    await scenario.settle('next rotation', gateways, 5_000, resumedToken);
    await sleep(1_000);
    const later = await scenario.finish();
    scenario.phase('next rotation (foreign force_refresh): no stale token', resumed, later, {
      maxTokenCalls: 2,
      minTokenCalls: 1,
    });
  }, 90_000);

  it('legacy mode: hung across the refresh-ahead windows, resumed, then every token expires', async () => {
    const {
      emulator,
      redis,
      gateways,
      start,
      beforeFault: hung,
    } = await legacyFleetUntilStoreFails(scenario);
    redis.hang();
    expect(await redis.answers()).toBe(false);
    await until(start.at, STORE_RETURNS_AT_MS);
    const stillHung = await scenario.mark();
    scenario.phase('refresh-ahead windows while Redis hangs', hung, stillHung, {
      maxTokenCalls: FLEET_SIZE,
      note: 'at most 1 per instance',
    });

    redis.resume();
    expect(await redis.answers(2_000)).toBe(true);
    await sleep(2_000);
    const resumedToken = await scenario.settle('Redis resumed', gateways, 3_000);
    const resumed = await scenario.mark();
    scenario.phase('Redis resumed', stillHung, resumed, { maxTokenCalls: 1 });

    // The store may still hold the token from before the hang, and it would still be served (it
    // is younger than SERVED_UNTIL_MS): it must not come back.
    await emulator.expireTokens();
    await scenario.settle('next rotation', gateways, 5_000, resumedToken);
    await sleep(1_000);
    const later = await scenario.finish();
    scenario.phase('next rotation (expiry): no stale token', resumed, later, {
      maxTokenCalls: 1,
      minTokenCalls: 1,
    });
  }, 90_000);
});

describe('start with the store down', () => {
  const scenario = useScenario('start without Redis');

  it('stable mode: the gateways start and serve without Redis, then join it', async () => {
    const emulator = await scenario.emulator();
    const redis = await scenario.redis();
    // Redis is not running: its port refuses connections.
    expect(await redis.answers()).toBe(false);
    const gateways = await scenario.gateways(FLEET_SIZE, { mode: 'stable', store: redis.url });
    const start = await scenario.mark();
    scenario.load(gateways, { openid: await emulator.follower() });
    await sleep(2_500);
    const serving = await scenario.mark();
    scenario.phase('serving without Redis', start, serving, {
      maxTokenCalls: FLEET_SIZE,
      minTokenCalls: 1,
      note: 'at most 1 per instance',
    });

    await redis.start();
    await waitFor(
      'every gateway to connect to Redis',
      async () => ((await allReachStore(gateways)) ? true : undefined),
      20_000,
    );
    const token = await scenario.settle('Redis started', gateways, 5_000);
    await sleep(1_000);
    const joined = await scenario.mark();
    scenario.phase('Redis started', serving, joined, { maxTokenCalls: 1 });

    await emulator.expireTokens();
    await scenario.settle('next rotation with Redis', gateways, 8_000, token);
    await sleep(1_500);
    const later = await scenario.finish();
    scenario.phase('next rotation with Redis', joined, later, {
      maxTokenCalls: 1,
      minTokenCalls: 1,
    });
  }, 90_000);
});
