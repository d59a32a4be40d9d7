import { describe, expect, it } from 'vitest';
import { appKeys } from '../../src/tokens/keys.js';
import { TokenUnavailableError } from '../../src/tokens/errors.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { STABLE_TOKEN_API, TICKET_API } from '../support/wechat-api.js';
import { useGateway } from '../support/harness.js';
import { interceptHttp } from './fakes.js';
import { useMemoryHarness, type MemoryHarness, type Harness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));
const ticketKey = appKeys(OFFICIAL.appId, OFFICIAL.appSecret, 'stable').ticket.record;

/**
 * The emulator always answers a ticket; WeChat has been seen answering errcode 0 without one.
 * This client passes every call to the emulator and blanks the ticket of the next `count`.
 */
function blankTickets(count: number): {
  provider: () => ReturnType<Harness['provider']>;
  blankNext: (more: number) => void;
} {
  let left = count;
  const http = interceptHttp(h.http, {
    get(api, _query, answer) {
      if (api !== TICKET_API || left === 0) return answer;
      left -= 1;
      return { ...answer, ticket: '' };
    },
  });
  return {
    provider: () => h.provider({ http }),
    blankNext: (more) => {
      left += more;
    },
  };
}

describe('jsapi_ticket', () => {
  it('is fetched once with the app’s token, cached, and shared through the store', async () => {
    const a = h.provider({ instanceId: 'a' });
    const tickets = await Promise.all(Array.from({ length: 100 }, () => a.getJsapiTicket()));
    expect(new Set(tickets.map((ticket) => ticket.value)).size).toBe(1);
    expect(tickets[0]?.expiresAt).toBe(h.clock.now() + 7200 * SECOND);
    expect(h.emulator.calls(TICKET_API)).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    const b = h.provider({ instanceId: 'b' });
    expect((await b.getJsapiTicket()).value).toBe(tickets[0]?.value);
    expect(h.emulator.calls(TICKET_API)).toBe(1);
    expect((await a.status()).ledger.ticketCalls).toBe(1);
  });

  it('an empty ticket is never cached', async () => {
    const blanks = blankTickets(3);
    const provider = blanks.provider();
    const error = await provider.getJsapiTicket().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(error).toMatchObject({ reason: 'upstream-failing' });
    expect(String(error)).toContain(TICKET_API);
    expect(h.emulator.calls(TICKET_API)).toBe(3);
    expect(await h.store.get(ticketKey)).toBeUndefined();

    h.clock.advance(SECOND);
    const ticket = await provider.getJsapiTicket();
    expect(ticket.value).not.toBe('');
    expect(h.emulator.calls(TICKET_API)).toBe(4);
    expect(await h.store.get(ticketKey)).toBeDefined();
  });

  it('a failed fetch is never cached, and one empty answer is simply retried', async () => {
    const blanks = blankTickets(0);
    const provider = blanks.provider();
    h.emulator.failNext(TICKET_API, 3);
    await expect(provider.getJsapiTicket()).rejects.toMatchObject({ errcode: -1 });
    expect(await h.store.get(ticketKey)).toBeUndefined();
    h.clock.advance(SECOND);
    blanks.blankNext(1);
    await provider.getJsapiTicket();
    expect(h.emulator.calls(TICKET_API)).toBe(5);
    expect((await provider.status()).ledger.failures).toEqual([{ errcode: -1, count: 3 }]);
  });

  it('a rejected token on getticket refreshes the token once and the ticket call succeeds', async () => {
    const provider = h.provider();
    await provider.getAccessToken();
    h.emulator.expireTokens(OFFICIAL.appId);
    h.emulator.resetCalls();
    await provider.getJsapiTicket();
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(TICKET_API)).toBe(2);
  });

  it('refresh-ahead never extends a ticket WeChat hands back unchanged; a new one comes at expiry', async () => {
    const provider = h.provider({ options: { refreshAheadMs: 10 * MINUTE } });
    const first = await provider.getJsapiTicket();
    h.emulator.resetCalls();

    h.clock.set(first.expiresAt - 5 * MINUTE);
    expect((await provider.getJsapiTicket()).value).toBe(first.value);
    await provider.idle();
    // getticket answers the same ticket with expires_in 7200 (not the remaining life).
    expect(h.emulator.calls(TICKET_API)).toBe(1);
    const kept = await provider.getJsapiTicket();
    expect(kept).toMatchObject({ value: first.value, expiresAt: first.expiresAt });

    // No more calls until the known expiry: WeChat would only repeat itself.
    h.clock.set(first.expiresAt - 1);
    await provider.getJsapiTicket();
    await provider.idle();
    expect(h.emulator.calls(TICKET_API)).toBe(1);

    h.clock.set(first.expiresAt);
    const next = await provider.getJsapiTicket();
    expect(next.value).not.toBe(first.value);
    expect(h.emulator.calls(TICKET_API)).toBe(2);
  });

  it('an open breaker reaches ticket callers as the typed error', async () => {
    const provider = h.provider({ app: { ...officialApp(), appSecret: 'wrong' } });
    await expect(provider.getJsapiTicket()).rejects.toMatchObject({
      reason: 'breaker-open',
      errcode: 40125,
    });
    expect(h.emulator.calls(TICKET_API)).toBe(0);
  });
});

describe('a failed jsapi_ticket fetch, as the client and the log see it', () => {
  const fx = useGateway();
  const QUERY = '{ jsapiConfig(url: "https://shop.example.com/") { signature } }';

  it.each([
    ['-1 (transient)', -1, 'UPSTREAM_UNAVAILABLE', 'WeChat keeps failing; retry shortly.'],
    [
      '45011 (per-minute limit)',
      45011,
      'RATE_LIMITED',
      "WeChat's per-minute limit was reached; retry in a minute.",
    ],
  ])(
    '%s names the ticket, not the access token; the error code is unchanged',
    async (_name, errcode, code, reason) => {
      fx.gw.emulator.failNext(TICKET_API, 10, { errcode });
      const res = await fx.gw.query(QUERY, { as: 'anonymous' });
      expect(res.body.errors?.[0]).toMatchObject({
        message: `No valid jsapi_ticket (JS-SDK ticket): ${reason}`,
        extensions: { code, wechat: { errcode } },
      });
      expect(res.text).not.toContain('access token');
      const logged = fx.gw.logs.filter((line) => line.includes('returned to the client'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('"credential":"jsapi_ticket"');
      expect(logged[0]).not.toMatch(/access.token/i);
      // The access token was fine: fetched once, never the cause.
      expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    },
  );
});
