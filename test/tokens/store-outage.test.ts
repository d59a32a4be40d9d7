/**
 * Several providers sharing one store that goes down across a rotation: they keep serving, never
 * hand out a token they know is dead, limit what they fetch while uncoordinated, converge on one
 * token once the store is back, and never adopt a stale record from it (fencing).
 */
import { describe, expect, it } from 'vitest';
import { appKeys, fingerprint } from '../../src/tokens/keys.js';
import { PUBLISH_RETRY_MS } from '../../src/tokens/deferred-publish.js';
import type { LocalTokenProvider } from '../../src/tokens/provider.js';
import type { TokenMode } from '../../src/wechat/types.js';
import { OFFICIAL, officialApp } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { instrumentStore, type InstrumentedStore } from './fakes.js';
import { useMemoryHarness, type MemoryHarness } from './harness.js';

let h: MemoryHarness;
useMemoryHarness((harness) => (h = harness));

interface Fleet {
  readonly providers: LocalTokenProvider[];
  readonly store: InstrumentedStore;
}

function startFleet(size: number, mode: TokenMode): Fleet {
  const store = instrumentStore(h.store);
  const app = officialApp(mode);
  const providers = Array.from({ length: size }, (_, i) =>
    h.provider({ store: store.store, app, instanceId: `instance-${i}` }),
  );
  return { providers, store };
}

/**
 * Every provider serves `perInstance` concurrent business calls, one provider after another;
 * returns what the callers saw fail (empty: no client-visible error).
 */
async function serve(fleet: Fleet, perInstance = 10): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, provider] of fleet.providers.entries()) {
    const api = h.api(provider, officialApp(provider.app.tokenMode));
    const results = await Promise.allSettled(
      Array.from({ length: perInstance }, () => api.getUserInfo(h.follower(), 'zh_CN')),
    );
    for (const result of results) {
      if (result.status === 'rejected') failures.push(`instance-${i}: ${String(result.reason)}`);
    }
    await provider.idle();
  }
  return failures;
}

async function fingerprints(fleet: Fleet): Promise<Set<string | null>> {
  const statuses = await Promise.all(fleet.providers.map((provider) => provider.status()));
  return new Set(statuses.map((status) => status.tokenFingerprint));
}

function storedRecord(mode: TokenMode): Promise<Record<string, unknown> | undefined> {
  const keys = appKeys(OFFICIAL.appId, OFFICIAL.appSecret, mode);
  return h.store
    .get(keys.token.record)
    .then((entry) => (entry === undefined ? undefined : JSON.parse(entry.value)));
}

describe('legacy mode, store down across a rotation', () => {
  it('4 instances: one stable_token call each, no competing legacy tokens, 0 errors; then one token again', async () => {
    const fleet = startFleet(4, 'legacy');
    expect(await serve(fleet)).toEqual([]);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);

    fleet.store.setDown(true);
    h.emulator.resetCalls();
    // Another environment takes a legacy token: ours dies 300 s later (40001).
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);
    for (let wave = 0; wave < 3; wave += 1) expect(await serve(fleet)).toEqual([]);
    // Uncoordinated, each instance asked stable_token once; WeChat handed them all one token
    // and no instance superseded another's (only the newest two legacy tokens stay alive).
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(0);
    expect((await fingerprints(fleet)).size).toBe(1);
    const token = await fleet.providers[0]?.getAccessToken();
    expect(token?.mode).toBe('stable');
    expect(h.logs.text()).toContain('token store unreachable: this instance fetches');

    // Another foreign rotation during the outage does not touch stable tokens: nothing to do.
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);
    expect(await serve(fleet)).toEqual([]);
    expect(h.emulator.calls(STABLE_TOKEN_API) + h.emulator.calls(LEGACY_TOKEN_API)).toBe(4);

    // The store answers again: the token fetched without it is published (once, the others hold
    // the same value), and the fleet is one again.
    fleet.store.setDown(false);
    h.clock.advance(PUBLISH_RETRY_MS);
    expect(await serve(fleet, 1)).toEqual([]);
    expect(await storedRecord('legacy')).toMatchObject({ value: token?.value, mode: 'stable' });
    expect(h.logs.matching('published the access_token fetched while')).toHaveLength(1);

    // Next rotation with the store up: one legacy call for the whole fleet.
    h.emulator.resetCalls();
    h.clock.set((token?.expiresAt ?? 0) - 200 * SECOND);
    expect(await serve(fleet)).toEqual([]);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
    const after = await fingerprints(fleet);
    expect(after.size).toBe(1);
    expect(after.has(fingerprint(token?.value ?? ''))).toBe(false);
    expect((await fleet.providers[3]?.getAccessToken())?.mode).toBe('legacy');
  });

  it('where stable_token is refused, uncoordinated legacy fetches stop at each instance’s budget', async () => {
    const fleet = startFleet(3, 'legacy');
    expect(await serve(fleet)).toEqual([]);
    fleet.store.setDown(true);
    h.emulator.resetCalls();
    h.emulator.failNext(STABLE_TOKEN_API, 1_000, { errcode: 48001, errmsg: 'api unauthorized' });
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);

    // Three instances minting legacy tokens on their own supersede each other (WeChat keeps
    // the newest two alive): each refresh may kill another instance's token. The per-instance
    // budget (3 at once) is what ends it.
    for (let wave = 0; wave < 8; wave += 1) await serve(fleet);
    const minted = h.emulator.calls(LEGACY_TOKEN_API);
    expect(minted).toBeGreaterThanOrEqual(3);
    expect(minted).toBeLessThanOrEqual(3 * 3);
    for (let wave = 0; wave < 4; wave += 1) await serve(fleet);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(minted);
    // Budgets refill at one per 2 minutes and per instance: at most one more each.
    h.clock.advance(2 * MINUTE);
    for (let wave = 0; wave < 4; wave += 1) await serve(fleet);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBeLessThanOrEqual(minted + 3);
  });
});

describe('stable mode, store down across a rotation', () => {
  it('3 instances: one call each, 0 errors; once the store is back a new instance adopts it', async () => {
    const fleet = startFleet(3, 'stable');
    expect(await serve(fleet)).toEqual([]);
    fleet.store.setDown(true);
    h.emulator.resetCalls();
    h.emulator.expireTokens(OFFICIAL.appId);
    for (let wave = 0; wave < 3; wave += 1) expect(await serve(fleet)).toEqual([]);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    expect((await fingerprints(fleet)).size).toBe(1);

    fleet.store.setDown(false);
    h.clock.advance(PUBLISH_RETRY_MS);
    expect(await serve(fleet, 1)).toEqual([]);
    h.emulator.resetCalls();
    const late = h.provider({ store: fleet.store.store, instanceId: 'late' });
    expect((await late.status()).tokenFingerprint).toBe([...(await fingerprints(fleet))][0]);
    await h.api(late).getUserInfo(h.follower(), 'zh_CN');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });
});

describe('fencing', () => {
  it('a stale record left in the store during an outage is never adopted', async () => {
    const fleet = startFleet(2, 'legacy');
    const [a, b] = fleet.providers;
    if (a === undefined || b === undefined) throw new Error('no fleet');
    const t1 = await a.getAccessToken();
    expect((await b.getAccessToken()).value).toBe(t1.value);
    expect(await storedRecord('legacy')).toMatchObject({ value: t1.value, gen: 1 });

    // During the outage another environment takes a legacy token, so T1 dies 300 s later, and
    // `a` refreshes ahead (no rejection: it never learns T1 is dead). The store still holds T1,
    // with minutes of TTL left, when it comes back.
    fleet.store.setDown(true);
    h.clock.set(t1.expiresAt - 15 * MINUTE);
    h.emulator.takeLegacyToken(OFFICIAL.appId);
    h.clock.advance(301 * SECOND);
    expect((await a.getAccessToken()).value).toBe(t1.value);
    await a.idle();
    const s = await a.getAccessToken();
    expect(s.mode).toBe('stable');
    // That access tried to publish it, in vain; the next try is due only PUBLISH_RETRY_MS later.
    await a.idle();
    fleet.store.setDown(false);
    expect(await storedRecord('legacy')).toMatchObject({ value: t1.value, gen: 1 });

    // Next rotation: `a`'s token is rejected before it published anything. The store's T1 looks
    // valid by its TTL and `a` never saw it rejected, but it is older than what `a` holds: `a`
    // fetches instead of adopting it, and the call succeeds with the new token.
    h.emulator.resetCalls();
    h.emulator.forceRotateStable(OFFICIAL.appId);
    const used: string[] = [];
    const user = await a.withAccessToken(async (token) => {
      used.push(token);
      return h.api(a).getUserInfo(h.follower(), 'zh_CN');
    });
    expect(user.openid).toBe(h.follower());
    expect(used).not.toContain(t1.value);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    const t2 = await a.getAccessToken();
    expect(await storedRecord('legacy')).toMatchObject({ value: t2.value, gen: 2 });

    // `b` still held T1 and learns it is dead from WeChat: it takes T2 from the store.
    await h.api(b).getUserInfo(h.follower(), 'zh_CN');
    expect((await b.getAccessToken()).value).toBe(t2.value);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(USER_INFO_API)).toBeGreaterThan(0);
  });

  it('a token fetched after the outage wins over one fetched during it, whoever publishes last', async () => {
    const fleet = startFleet(2, 'stable');
    const [a, b] = fleet.providers;
    if (a === undefined || b === undefined) throw new Error('no fleet');
    await a.getAccessToken();
    await b.getAccessToken();
    fleet.store.setDown(true);
    h.emulator.expireTokens(OFFICIAL.appId);
    await h.api(a).getUserInfo(h.follower(), 'zh_CN');
    const during = await a.getAccessToken();
    fleet.store.setDown(false);

    // Before `a` publishes, the token is force-rotated and `b` refreshes with the store: a
    // generation the store allocates, above the one `a` took without it.
    h.emulator.forceRotateStable(OFFICIAL.appId);
    await h.api(b).getUserInfo(h.follower(), 'zh_CN');
    const after = await b.getAccessToken();
    expect(after.value).not.toBe(during.value);
    // `a` publishes late: the store keeps the later fetch, and `a` takes it without a call.
    h.emulator.resetCalls();
    h.clock.advance(PUBLISH_RETRY_MS);
    await a.getAccessToken();
    await a.idle();
    expect(await storedRecord('stable')).toMatchObject({ value: after.value, gen: 2 });
    expect((await a.getAccessToken()).value).toBe(after.value);
    expect(h.logs.text()).toContain("took the fleet's newer access_token");
    await h.api(a).getUserInfo(h.follower(), 'zh_CN');
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });
});
