/**
 * Events across a fleet: two gateway processes on one real Redis (a namespace of this run). A push
 * received by one reaches a subscriber on the other; a push repeated on both is delivered once;
 * a subscriber that drops, misses 50 events and comes back with `after` gets exactly those 50 in
 * order, then live ones without gap or duplicate.
 */
import { describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { useGatewayPair } from '../support/gateway-pair.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { CALLBACK, GH_ID, postPush, subscribeSse, type SseSubscription } from './helpers.js';

const SERVICE_KEY = 'fleet-service-key-0123456789';
const AUTH = { authorization: `Bearer ${SERVICE_KEY}` };

const pair = useGatewayPair('fleet-events', {
  sessionSecret: 'fleet-session-secret-0123456789abcdef-0123',
  serviceKey: SERVICE_KEY,
  callbacks: { official: CALLBACK },
});
/** The pair's clock, which pushes are timestamped by. */
let clock: ManualClock;

async function processes(): Promise<[GatewayProcess, GatewayProcess]> {
  const fleet = await pair();
  clock = fleet.clock;
  return [fleet.a, fleet.b];
}

let sent = 0;
/** A distinct menu click (its own key), posted to `to`; returns its key. */
async function click(to: GatewayProcess, key = `K${(sent += 1)}`): Promise<string> {
  const message = pushMessages.menuClick(
    { to: GH_ID, openid: 'oFleetUser000000000000001', createTime: Math.floor(clock.now() / 1000) },
    key,
  );
  const answer = await postPush(fetch, to.base, clock.now(), message);
  expect(answer).toEqual({ status: 200, text: 'success' });
  return key;
}

interface Logged {
  id: string;
  key: string;
}

async function lastLogged(on: GatewayProcess): Promise<Logged[]> {
  const res = await fetch(`${on.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({
      query: '{ events(first: 1000) { nodes { id ... on MenuClickEvent { key } } } }',
    }),
  });
  const body = (await res.json()) as { data: { events: { nodes: Logged[] } } };
  return body.data.events.nodes;
}

const SUBSCRIPTION = /* GraphQL */ `
  subscription ($after: ID) {
    wechatEvents(after: $after, types: [MENU_CLICK]) {
      id
      ... on MenuClickEvent {
        key
      }
    }
  }
`;

function subscribe(on: GatewayProcess, after: string | undefined): Promise<SseSubscription> {
  return subscribeSse(fetch, `${on.base}/graphql`, SUBSCRIPTION, AUTH, { after });
}

async function received(sub: SseSubscription, count: number): Promise<Logged[]> {
  const events: Logged[] = [];
  while (events.length < count) {
    const payload = (await sub.next(10_000)) as { data: { wechatEvents: Logged } };
    events.push(payload.data.wechatEvents);
  }
  return events;
}

describe('events across two gateway processes on one Redis', () => {
  it('reach a subscriber on B when posted to A, once even when repeated on both', async () => {
    const [a, b] = await processes();
    await click(a);
    const start = (await lastLogged(b)).at(-1)?.id;
    expect(start).toEqual(expect.any(String));
    const sub = await subscribe(b, start);
    try {
      const key = await click(a);
      // WeChat repeating the push lands on either instance: delivered once.
      await click(b, key);
      await click(a, key);
      const marker = await click(b);
      expect((await received(sub, 2)).map((event) => event.key)).toEqual([key, marker]);
    } finally {
      await sub.close();
    }
  });

  it('give a subscriber that dropped and missed 50 exactly those, in order, then live ones', async () => {
    const [a, b] = await processes();
    await click(a);
    const start = (await lastLogged(a)).at(-1)?.id;
    const first = await subscribe(b, start);
    let resumeAfter: string | undefined;
    try {
      const live = [await click(a), await click(b), await click(a)];
      const got = await received(first, 3);
      expect(got.map((event) => event.key)).toEqual(live);
      resumeAfter = got.at(-1)?.id;
    } finally {
      await first.close();
    }
    // Dropped: 50 events go by, received by both instances in turn.
    const missed: string[] = [];
    for (let n = 0; n < 50; n++) missed.push(await click(n % 2 === 0 ? a : b));
    const again = await subscribe(a, resumeAfter);
    try {
      const replayed = await received(again, 50);
      expect(replayed.map((event) => event.key)).toEqual(missed);
      const logged = await lastLogged(b);
      expect(replayed).toEqual(logged.slice(-50));
      const later = [await click(b), await click(a), await click(b)];
      expect((await received(again, 3)).map((event) => event.key)).toEqual(later);
      expect(again.pending()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
