/**
 * Live `wechatEvents` streams are capped per key on an instance (EVENTS_SUBSCRIPTIONS_PER_CALLER):
 * one leaked or hostile key cannot hold thousands of streams. Past the cap the key gets
 * RATE_LIMITED; closing a stream frees its place; another key is not affected.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, useGateway } from '../support/harness.js';
import { subscribeSse, type SseSubscription } from './helpers.js';

const BASE = 'http://gateway.test';
const QUERY = 'subscription { wechatEvents { id } }';
const gateway = useGateway({ events: { callbacks: {}, subscriptionsPerCaller: 2 } });

/** A stream's first payload, or none within a moment (a live stream has nothing to say yet). */
async function firstPayload(sub: SseSubscription): Promise<Record<string, unknown> | 'open'> {
  return sub.next(300).catch(() => 'open' as const);
}

describe('live subscriptions per key', () => {
  it('refuses the key past the cap with RATE_LIMITED, until one of its streams ends', async () => {
    const { gw } = gateway;
    const open = (key: string) =>
      subscribeSse(gw.yoga.fetch, `${BASE}/graphql`, QUERY, { authorization: `Bearer ${key}` });
    const service = gw.access.serviceApiKeys[0] ?? '';
    const first = await open(service);
    const second = await open(service);
    expect(await firstPayload(first)).toBe('open');
    expect(await firstPayload(second)).toBe('open');

    const third = await open(service);
    const refused = await third.next();
    expect(refused['errors']).toEqual([
      expect.objectContaining({
        message:
          'This key has 2 live wechatEvents subscriptions on this instance (EVENTS_SUBSCRIPTIONS_PER_CALLER); close one before opening another.',
        extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfter: 5 }),
      }),
    ]);
    await third.close();

    // Another key has its own places.
    const admin = await open(ADMIN_KEY);
    expect(await firstPayload(admin)).toBe('open');

    await first.close();
    await expect
      .poll(async () => {
        const again = await open(service);
        const said = await firstPayload(again);
        await again.close();
        return said;
      })
      .toBe('open');
    await Promise.all([second.close(), admin.close()]);
  });
});
