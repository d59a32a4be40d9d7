/**
 * Abuse limits on the anonymous fields: `login` and `jsapiConfig` per client address per
 * minute, every attempt counted, refused with RATE_LIMITED and `retryAfter` seconds, recovered
 * by moving the injected clock; TRUST_PROXY; and one count for the fleet on a shared Redis.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_TOKEN_API, TICKET_API } from '../support/wechat-api.js';
import { SECOND } from '../support/time.js';
import { useRedisNamespaces } from '../tokens/redis.js';
import type { TokenStore } from '../../src/store/store.js';
import {
  codesOf,
  startGateway,
  useGateway,
  type Gateway,
  type GatewayInstance,
} from '../support/harness.js';
import { LOGIN } from '../support/sessions.js';
import { createFaultyStore } from '../support/store-faults.js';
import { DEFAULT_GLOBAL_RATE_LIMITS } from '../../src/config/access.js';

const JSAPI = '{ jsapiConfig(url: "https://shop.example.com/item") { signature } }';

function attemptLogin(
  via: Pick<GatewayInstance, 'query'>,
  code: string,
  options: { clientAddress?: string; headers?: Record<string, string> } = {},
) {
  return via.query(LOGIN, { as: 'anonymous', variables: { code }, ...options });
}

const freshCode = (gw: Gateway) =>
  gw.emulator.mintOAuthCode(gw.official.appId, { scope: 'snsapi_base' }).code;

describe('the login limit', () => {
  const fx = useGateway();

  it('allows 30 attempts a minute per address, failed ones included, then says when to retry', async () => {
    fx.gw.clock.advance(15 * SECOND);
    for (let i = 0; i < 30; i++) {
      const res = await attemptLogin(fx.gw, `wrong-code-${i}`);
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    }
    const refused = await attemptLogin(fx.gw, freshCode(fx.gw));
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: 'Too many "login" requests from this address (30 a minute); retry later.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 45 },
      }),
    ]);
    expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(30);

    // Another address is not affected.
    const other = await attemptLogin(fx.gw, freshCode(fx.gw), { clientAddress: '203.0.113.20' });
    expect(other.body.errors).toBeUndefined();

    fx.gw.clock.advance(44 * SECOND);
    const still = await attemptLogin(fx.gw, freshCode(fx.gw));
    expect(still.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    fx.gw.clock.advance(SECOND);
    const recovered = await attemptLogin(fx.gw, freshCode(fx.gw));
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data).toMatchObject({ login: { token: expect.any(String) } });
  });
});

describe('the jsapiConfig limit', () => {
  const fx = useGateway();

  it('allows 120 calls a minute per address, then RATE_LIMITED until the minute is over', async () => {
    for (let i = 0; i < 120; i++) {
      expect((await fx.gw.query(JSAPI, { as: 'anonymous' })).body.errors).toBeUndefined();
    }
    const refused = await fx.gw.query(JSAPI, { as: 'anonymous' });
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    expect(fx.gw.emulator.calls(TICKET_API)).toBe(1);
    fx.gw.clock.advance(60 * SECOND);
    expect((await fx.gw.query(JSAPI, { as: 'anonymous' })).body.errors).toBeUndefined();
  });
});

describe('configured limits', () => {
  const fx = useGateway({ access: { rateLimits: { login: 2, jsapiConfig: 0 } } });

  it('count what LOGIN_RATE_LIMIT says, and 0 turns a limit off', async () => {
    await attemptLogin(fx.gw, 'wrong-code-1');
    await attemptLogin(fx.gw, 'wrong-code-2');
    expect(codesOf((await attemptLogin(fx.gw, 'wrong-code-3')).body)).toEqual(['RATE_LIMITED']);
    for (let i = 0; i < 130; i++) {
      expect((await fx.gw.query(JSAPI, { as: 'anonymous' })).body.errors).toBeUndefined();
    }
  });
});

describe('client addresses', () => {
  const limits = { login: 1, jsapiConfig: 120 };

  it('ignore X-Forwarded-For without TRUST_PROXY: anyone can send it', async () => {
    const gw = await startGateway({ access: { rateLimits: limits } });
    try {
      const forwarded = (address: string) => ({ headers: { 'x-forwarded-for': address } });
      await attemptLogin(gw, 'wrong-code-1', forwarded('203.0.113.1'));
      const second = await attemptLogin(gw, 'wrong-code-2', forwarded('203.0.113.2'));
      expect(codesOf(second.body)).toEqual(['RATE_LIMITED']);
    } finally {
      await gw.close();
    }
  });

  it("come from X-Forwarded-For behind TRUST_PROXY hops, the client's own entries ignored", async () => {
    const gw = await startGateway({ access: { rateLimits: limits, trustProxyHops: 1 } });
    try {
      // One load balancer appends the address it saw; what the client wrote before is not believed.
      const via = (chain: string) => ({ headers: { 'x-forwarded-for': chain } });
      await attemptLogin(gw, 'wrong-code-1', via('10.9.9.9, 203.0.113.1'));
      const spoofed = await attemptLogin(gw, 'wrong-code-2', via('10.8.8.8, 203.0.113.1'));
      expect(codesOf(spoofed.body)).toEqual(['RATE_LIMITED']);
      const other = await attemptLogin(gw, 'wrong-code-3', via('203.0.113.2'));
      expect(codesOf(other.body)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await gw.close();
    }
  });

  it('count two proxies with TRUST_PROXY=2', async () => {
    const gw = await startGateway({ access: { rateLimits: limits, trustProxyHops: 2 } });
    try {
      const via = (chain: string) => ({ headers: { 'x-forwarded-for': chain } });
      await attemptLogin(gw, 'wrong-code-1', via('203.0.113.1, 198.51.100.50'));
      const sameClient = await attemptLogin(gw, 'wrong-code-2', via('203.0.113.1, 198.51.100.51'));
      expect(codesOf(sameClient.body)).toEqual(['RATE_LIMITED']);
    } finally {
      await gw.close();
    }
  });
});

/** How many answers carried each first error code ('ok' for none). */
function tally(answers: { body: Parameters<typeof codesOf>[0] }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const code = String(codesOf(answer.body)[0] ?? 'ok');
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

describe('IPv6 clients', () => {
  const viaProxy = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('count a whole /64 as one client: 35 bad codes from 35 of its addresses, 30 let through', async () => {
    const gw = await startGateway({ access: { trustProxyHops: 1 } });
    try {
      const answers = [];
      for (let i = 0; i < 35; i += 1) {
        const address = `2001:db8:5:6:${(i + 1).toString(16)}::${(i * 7 + 1).toString(16)}`;
        answers.push(await attemptLogin(gw, `wrong-code-${i}`, viaProxy(address)));
      }
      expect(tally(answers)).toEqual({
        BAD_USER_INPUT: 30,
        RATE_LIMITED: 5,
      });
      expect(gw.emulator.calls(OAUTH_TOKEN_API)).toBe(30);
      // The next /64 is another client.
      const next = await attemptLogin(gw, 'wrong-code-x', viaProxy('2001:db8:5:7::1'));
      expect(codesOf(next.body)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await gw.close();
    }
  });

  it('count by RATE_LIMIT_IPV6_PREFIX bits: 128 counts each address', async () => {
    const gw = await startGateway({
      access: { trustProxyHops: 1, ipv6PrefixBits: 128, rateLimits: { login: 1, jsapiConfig: 0 } },
    });
    try {
      const one = await attemptLogin(gw, 'wrong-code-1', viaProxy('2001:db8:5:6::1'));
      const two = await attemptLogin(gw, 'wrong-code-2', viaProxy('2001:db8:5:6::2'));
      expect([...codesOf(one.body), ...codesOf(two.body)]).toEqual([
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
      ]);
    } finally {
      await gw.close();
    }
  });

  it('count an IPv4-mapped IPv6 address as its IPv4 address, however it is written', async () => {
    const gw = await startGateway({ access: { rateLimits: { login: 2, jsapiConfig: 0 } } });
    try {
      await attemptLogin(gw, 'wrong-code-1', { clientAddress: '198.51.100.77' });
      await attemptLogin(gw, 'wrong-code-2', { clientAddress: '::ffff:c633:644d' });
      const third = await attemptLogin(gw, 'wrong-code-3', {
        clientAddress: '0:0:0:0:0:ffff:198.51.100.77',
      });
      expect(codesOf(third.body)).toEqual(['RATE_LIMITED']);
    } finally {
      await gw.close();
    }
  });
});

describe('the cap on every address together', () => {
  const fx = useGateway({
    access: { globalRateLimits: { login: 5, jsapiConfig: 0 } },
  });

  it('refuses everyone for the rest of the minute once all addresses together pass it', async () => {
    fx.gw.clock.advance(20 * SECOND);
    const answers = [];
    for (let i = 0; i < 8; i += 1) {
      answers.push(
        await attemptLogin(fx.gw, `wrong-code-${i}`, { clientAddress: `203.0.113.${i + 1}` }),
      );
    }
    expect(answers.map((answer) => codesOf(answer.body)[0])).toEqual([
      ...Array<string>(5).fill('BAD_USER_INPUT'),
      ...Array<string>(3).fill('RATE_LIMITED'),
    ]);
    expect(answers[5]?.body.errors?.[0]).toEqual(
      expect.objectContaining({
        message: 'Too many "login" requests from all addresses together (5 a minute); retry later.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 40 },
      }),
    );
    expect(fx.gw.emulator.calls(OAUTH_TOKEN_API)).toBe(5);
    fx.gw.clock.advance(40 * SECOND);
    const next = await attemptLogin(fx.gw, freshCode(fx.gw), { clientAddress: '203.0.113.99' });
    expect(next.body.errors).toBeUndefined();
  });

  it('defaults to a hundred addresses at their full limit', () => {
    expect(DEFAULT_GLOBAL_RATE_LIMITS).toEqual({ login: 3000, jsapiConfig: 12_000 });
  });
});

describe('the fleet on a shared Redis', () => {
  const namespaces = useRedisNamespaces();
  const stores: TokenStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('counts every instance together', async () => {
    const store = await namespaces.open(namespaces.create('rate-limit'));
    stores.push(store);
    const gw = await startGateway({
      store,
      access: { rateLimits: { login: 3, jsapiConfig: 120 } },
    });
    try {
      const other = gw.instance();
      await attemptLogin(gw, 'wrong-code-1');
      await attemptLogin(other, 'wrong-code-2');
      await attemptLogin(gw, 'wrong-code-3');
      expect(codesOf((await attemptLogin(other, 'wrong-code-4')).body)).toEqual(['RATE_LIMITED']);
      expect(gw.emulator.calls(OAUTH_TOKEN_API)).toBe(3);
    } finally {
      await gw.close();
    }
  });
});

describe('the limits and the store', () => {
  const faults = createFaultyStore();
  beforeEach(() => faults.reset());
  const fx = useGateway({
    wrapStore: (store) => faults.wrap(store),
    access: { rateLimits: { login: 2, jsapiConfig: 120 } },
  });

  it('refuse a client over its limit from memory, without a store round trip', async () => {
    for (let i = 1; i <= 3; i++) await attemptLogin(fx.gw, `wrong-code-${i}`);
    // The address's counter for each; the cap's for the two the address's limit let through.
    expect(faults.calls.get('increment')).toBe(5);
    for (let i = 4; i <= 10; i++) {
      expect(codesOf((await attemptLogin(fx.gw, `wrong-code-${i}`)).body)).toEqual([
        'RATE_LIMITED',
      ]);
    }
    expect(faults.calls.get('increment')).toBe(5);
  });

  it('count per instance while the store is unreachable, with one warning', async () => {
    faults.fail(['increment']);
    await attemptLogin(fx.gw, 'wrong-code-1');
    await attemptLogin(fx.gw, 'wrong-code-2');
    expect(codesOf((await attemptLogin(fx.gw, 'wrong-code-3')).body)).toEqual(['RATE_LIMITED']);
    expect(
      fx.gw.logs.filter((line) => line.includes('rate limits are counted per instance')),
    ).toHaveLength(1);
  });
});
