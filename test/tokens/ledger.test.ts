import { describe, expect, it } from 'vitest';
import { nextWechatDayStart, wechatDay } from '../../src/shared/clock.js';
import { officialApp } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import { instrumentStore } from './fakes.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));

const warnings = (): string[] => h.logs.matching('token calls today passed the warning threshold');

describe('quota ledger', () => {
  it('counts token calls by endpoint and reason, failures by errcode, ticket calls', async () => {
    const stable = h.provider();
    const legacy = h.provider({ app: officialApp('legacy') });
    await stable.getAccessToken();
    await stable.getJsapiTicket();
    await legacy.getAccessToken();
    await legacy.refreshAccessToken({ force: false });
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40164, errmsg: 'invalid ip' });
    await stable.refreshAccessToken({ force: false }).catch(() => undefined);

    const ledger = (await stable.status()).ledger;
    expect(ledger).toEqual({
      day: wechatDay(h.clock.now()),
      tokenCalls: [
        { endpoint: STABLE_TOKEN_API, reason: 'cold', count: 1 },
        { endpoint: STABLE_TOKEN_API, reason: 'forced', count: 1 },
        { endpoint: LEGACY_TOKEN_API, reason: 'cold', count: 1 },
        { endpoint: LEGACY_TOKEN_API, reason: 'forced', count: 1 },
      ].sort((a, b) => `${a.endpoint}${a.reason}`.localeCompare(`${b.endpoint}${b.reason}`)),
      failures: [{ errcode: 40164, count: 1 }],
      ticketCalls: 1,
      stale: false,
    });
    // The ledger is per app (appid), whichever provider reads it.
    expect((await legacy.status()).ledger).toEqual(ledger);
  });

  it('starts a new day at 00:00 Beijing time (16:00 UTC)', async () => {
    const provider = h.provider({ app: officialApp('legacy') });
    await provider.getAccessToken();
    const boundary = nextWechatDayStart(h.clock.now());
    expect(new Date(boundary).getUTCHours()).toBe(16);
    h.clock.set(boundary - SECOND);
    expect((await provider.status()).ledger.tokenCalls).toHaveLength(1);
    h.clock.set(boundary);
    const today = (await provider.status()).ledger;
    expect(today.day).toBe(wechatDay(boundary));
    expect(today.tokenCalls).toEqual([]);
    await provider.refreshAccessToken({ force: false });
    expect((await provider.status()).ledger.tokenCalls).toEqual([
      { endpoint: LEGACY_TOKEN_API, reason: 'forced', count: 1 },
    ]);
  });

  it('warns once when the day’s token calls pass the threshold, across instances', async () => {
    const a = h.provider({ app: officialApp('legacy'), options: { quotaWarnThreshold: 3 } });
    const b = h.provider({ app: officialApp('legacy'), options: { quotaWarnThreshold: 3 } });
    await a.getAccessToken();
    await b.refreshAccessToken({ force: false });
    await a.refreshAccessToken({ force: false });
    expect(warnings()).toEqual([]);
    await b.refreshAccessToken({ force: false });
    expect(warnings()).toHaveLength(1);
    expect(JSON.parse(warnings()[0] ?? '{}')).toMatchObject({ tokenCalls: 4, threshold: 3 });
    await a.refreshAccessToken({ force: false });
    await b.refreshAccessToken({ force: false });
    expect(warnings()).toHaveLength(1);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(6);
  });
});

describe('status while the store is down', () => {
  it('answers from what the process knows: L1 token, last breaker and ledger read', async () => {
    const { store, setDown } = instrumentStore(h.store);
    const provider = h.provider({ store });
    const token = await provider.getAccessToken();
    // Refresh-ahead meets 40164: the breaker opens while the token stays valid.
    h.clock.set(token.expiresAt - 200 * SECOND);
    h.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40164, errmsg: 'invalid ip' });
    await provider.getAccessToken();
    await provider.idle();
    const before = await provider.status();
    expect(before.breaker.open).toBe(true);
    expect(before.ledger.failures).toEqual([{ errcode: 40164, count: 1 }]);

    setDown(true);
    const during = await provider.status();
    expect(before.ledger.stale).toBe(false);
    expect(during).toEqual({
      ...before,
      ledger: { ...before.ledger, stale: true },
      // The budget this instance spends from while it cannot reach the store: its own.
      rejectedRefreshBudget: { ...before.rejectedRefreshBudget, local: true },
    });
    expect(before.rejectedRefreshBudget.local).toBe(false);
    expect(during.tokenFingerprint).not.toBeNull();
    expect(h.logs.text()).toContain('quota ledger shown as last read');

    // A new WeChat day with the store still down: an empty ledger for that day, not yesterday's.
    const boundary = nextWechatDayStart(h.clock.now());
    h.clock.set(boundary);
    const nextDay = await provider.status();
    expect(nextDay.ledger).toEqual({
      day: wechatDay(boundary),
      tokenCalls: [],
      failures: [],
      ticketCalls: 0,
      stale: true,
    });
    // The breaker's known end (60 s after it opened) has passed meanwhile.
    expect(nextDay.breaker.open).toBe(false);

    setDown(false);
    expect((await provider.status()).ledger).toMatchObject({
      day: wechatDay(boundary),
      stale: false,
    });
  });
});
