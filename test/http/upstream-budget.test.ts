/**
 * The upstream budget of one operation (UPSTREAM_BUDGET_PER_OPERATION, default 20), estimated
 * before anything runs from the root fields, their coerced arguments and their selection; and
 * the cap on one caller's WeChat calls in flight (UPSTREAM_CONCURRENCY_PER_CALLER). WeChat is
 * reached through a counting proxy: what it sees is what the gateway sent.
 */
import { createServer, request as httpRequest } from 'node:http';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/http/query-limits.js';
import { assertCostTable, callerKey, costTableGaps } from '../../src/http/upstream-budget.js';
import { UPSTREAM_COSTS } from '../../src/resolvers/upstream-costs.js';
import { createCallerGate } from '../../src/tokens/caller-gate.js';
import { listenOnLoopback } from '../support/ports.js';
import { SERVICE_KEY, useGateway, type Upstream } from '../support/harness.js';
import {
  BATCHGET_API,
  FOLLOWERS_API,
  TAGS_BATCH_TAG_API,
  UPDATE_REMARK_API,
  WXACODE_UNLIMIT_API,
} from '../support/wechat-api.js';

/** Every request on its way to WeChat, counted by path, and how many were out at once. */
interface CountingProxy extends Upstream {
  total(): number;
  calls(path: string): number;
  /** Most requests of `path` in flight at the same time so far. */
  peak(path: string): number;
  reset(): void;
}

async function startCountingProxy(target: string): Promise<CountingProxy> {
  const calls = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  const add = (map: Map<string, number>, path: string, by: number) =>
    map.set(path, (map.get(path) ?? 0) + by);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const path = url.pathname;
    add(calls, path, 1);
    add(inFlight, path, 1);
    peaks.set(path, Math.max(peaks.get(path) ?? 0, inFlight.get(path) ?? 0));
    const forwarded = httpRequest(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (answer) => {
        res.on('close', () => add(inFlight, path, -1));
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      add(inFlight, path, -1);
      res.destroy();
    });
    req.pipe(forwarded);
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    close,
    total: () => [...calls.values()].reduce((sum, n) => sum + n, 0),
    calls: (path) => calls.get(path) ?? 0,
    peak: (path) => peaks.get(path) ?? 0,
    reset() {
      calls.clear();
      peaks.clear();
    },
  };
}

function useCountedGateway(options: Parameters<typeof useGateway>[0] = {}) {
  const holder: { proxy?: CountingProxy } = {};
  const fx = useGateway({
    ...options,
    upstream: async (emulatorUrl) => (holder.proxy = await startCountingProxy(emulatorUrl)),
  });
  return {
    get gw() {
      return fx.gw;
    },
    get proxy(): CountingProxy {
      if (!holder.proxy) throw new Error('no proxy');
      return holder.proxy;
    },
  };
}

const aliased = (count: number, field: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join('\n');

const openids = (count: number) =>
  Array.from({ length: count }, (_, i) => `oBudget${String(i).padStart(21, '0')}`);

describe('the upstream budget of an operation', () => {
  const fx = useCountedGateway();

  it('covers every root field of the schema: a field without a row stops the start', () => {
    const { schema } = fx.gw.yoga.getEnveloped({});
    expect(costTableGaps(schema, UPSTREAM_COSTS)).toEqual({ missing: [], stale: [] });
    const grown = buildSchema('type Query { followers: Int, newField: Int }');
    expect(() => assertCostTable(grown, UPSTREAM_COSTS)).toThrow(/Query\.newField/);
  });

  it('refuses 40 aliased followers before any call (was: 40 user/get calls)', async () => {
    const res = await fx.gw.query(`{ ${aliased(40, () => 'followers(first: 1) { totalCount }')} }`);
    expect(res.body).toEqual({
      errors: [
        {
          message:
            'The operation may make up to 40 calls to WeChat (followers: 40), over the budget of 20 per operation; split it into smaller operations.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ],
    });
    expect(fx.proxy.calls(FOLLOWERS_API)).toBe(0);
    expect(fx.proxy.total()).toBe(0);
  });

  it('refuses 50 aliased tagUsers of 300 openids, counted from the coerced variables (was: 300 writes)', async () => {
    const mutation = `mutation ($t: Int!, $o: [String!]!) {
      ${aliased(50, () => 'tagUsers(tagId: $t, openids: $o)')}
    }`;
    const res = await fx.gw.query(mutation, { variables: { t: 100, o: openids(300) } });
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('up to 300 calls to WeChat (tagUsers: 300)'),
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(res.body.data).toBeUndefined();
    expect(fx.proxy.calls(TAGS_BATCH_TAG_API)).toBe(0);
    expect(fx.proxy.total()).toBe(0);
  });

  it('refuses 50 aliased miniProgramCode at width 1280 (was: 64 calls)', async () => {
    const field = (i: number) =>
      `miniProgramCode(app: "miniprogram", input: { scene: "s${i}", width: 1280 }) { base64 }`;
    const res = await fx.gw.query(`{ ${aliased(50, field)} }`);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('up to 50 calls to WeChat (miniProgramCode: 50)'),
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(fx.proxy.calls(WXACODE_UNLIMIT_API)).toBe(0);
    expect(fx.proxy.total()).toBe(0);
  });

  it('reads arguments as execution will: a variable’s default counts', async () => {
    // Sent without `n`: the default 10000 applies, so the page of users is 1 + 100 calls.
    const page = 'query ($n: Int = 10000) { followers(first: $n) { nodes { openid } } }';
    const refused = await fx.gw.query(page);
    expect(refused.body.errors?.[0]?.message).toContain('up to 101 calls');
    expect(fx.proxy.total()).toBe(0);
    const small = await fx.gw.query(page, { variables: { n: 3 } });
    expect(small.body.errors).toBeUndefined();
    // One user/get and one batchget (and the token).
    expect(fx.proxy.calls(FOLLOWERS_API)).toBe(1);
    expect(fx.proxy.calls(BATCHGET_API)).toBe(1);
  });

  it('runs an operation at the budget, and refuses one call more', async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const remark = (count: number) =>
      `mutation { ${aliased(count, (i) => `setUserRemark(openid: "${openid}", remark: "r${i}")`)} }`;
    const over = await fx.gw.query(remark(21));
    expect(over.body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect(fx.proxy.total()).toBe(0);
    const at = await fx.gw.query(remark(20));
    expect(at.body.errors).toBeUndefined();
    expect(fx.proxy.calls(UPDATE_REMARK_API)).toBe(20);
  });

  it('lets an everyday operation through: user look-ups of all fields share batchget calls', async () => {
    const [a = '', b = '', c = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const res = await fx.gw.query(`{
      one: userInfo(openid: "${a}") { openid }
      two: userInfo(openid: "${b}") { openid }
      list: users(openids: ["${a}", "${b}", "${c}"]) { openid }
      page: followers(first: 5) { totalCount edges { cursor node { openid } } }
      tags { id }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(fx.proxy.calls(BATCHGET_API)).toBe(2);
  });

  it('counts nothing for fields that make no WeChat call', async () => {
    const res = await fx.gw.query(`{ ${aliased(30, () => 'tokenStatus { mode }')} }`, {
      as: 'admin',
    });
    expect(res.body.errors).toBeUndefined();
  });
});

describe('the budget is configurable', () => {
  const fx = useCountedGateway({ queryLimits: { upstreamBudget: 50 } });

  it('by UPSTREAM_BUDGET_PER_OPERATION and UPSTREAM_CONCURRENCY_PER_CALLER', () => {
    expect(loadConfig({}).queryLimits).toEqual({});
    const set = loadConfig({
      UPSTREAM_BUDGET_PER_OPERATION: '50',
      UPSTREAM_CONCURRENCY_PER_CALLER: '4',
    });
    expect(set.queryLimits).toEqual({ upstreamBudget: 50, upstreamConcurrency: 4 });
    for (const name of ['UPSTREAM_BUDGET_PER_OPERATION', 'UPSTREAM_CONCURRENCY_PER_CALLER']) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(ConfigError);
    }
  });

  it('UPSTREAM_BUDGET_PER_OPERATION=50 lets 40 aliased followers through', async () => {
    const res = await fx.gw.query(`{ ${aliased(40, () => 'followers(first: 1) { totalCount }')} }`);
    expect(res.body.errors).toBeUndefined();
    expect(fx.proxy.calls(FOLLOWERS_API)).toBe(40);
  });
});

const OTHER_SERVICE_KEY = 'test-other-service-key-0123456789abcdef';

describe('the WeChat calls of one caller in flight', () => {
  const N = 2;
  const fx = useCountedGateway({
    queryLimits: { upstreamConcurrency: N },
    access: { serviceApiKeys: [SERVICE_KEY, OTHER_SERVICE_KEY] },
  });

  const remark = (key: string, i: number) =>
    fx.gw.query(
      `mutation { setUserRemark(openid: "${fx.gw.emulator.followerOpenids(fx.gw.official.appId)[i] ?? ''}", remark: "r") }`,
      { headers: { authorization: `Bearer ${key}` } },
    );

  it(`are at most ${N} at WeChat; the rest wait their turn, and other callers do not wait`, async () => {
    // The token first, so that only the remark calls are measured.
    expect((await remark(SERVICE_KEY, 0)).body.errors).toBeUndefined();
    fx.proxy.reset();
    fx.gw.emulator.setLatency(UPDATE_REMARK_API, 300);

    const one = await Promise.all(Array.from({ length: N + 1 }, (_, i) => remark(SERVICE_KEY, i)));
    for (const res of one) expect(res.body.errors).toBeUndefined();
    expect(fx.proxy.calls(UPDATE_REMARK_API)).toBe(N + 1);
    expect(fx.proxy.peak(UPDATE_REMARK_API)).toBe(N);

    // Another key is another caller: its call goes out beside the first key's N.
    fx.proxy.reset();
    const two = await Promise.all([
      ...Array.from({ length: N + 1 }, (_, i) => remark(SERVICE_KEY, i)),
      remark(OTHER_SERVICE_KEY, N + 1),
    ]);
    for (const res of two) expect(res.body.errors).toBeUndefined();
    expect(fx.proxy.peak(UPDATE_REMARK_API)).toBe(N + 1);
  });
});

describe('the gate', () => {
  it('runs at most `limit` calls of a caller at once, in order, and forgets an idle caller', async () => {
    const gate = createCallerGate(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const call = (i: number) =>
      gate.run('a', () => {
        started.push(i);
        return new Promise<number>((resolve) => finish.push(() => resolve(i)));
      });
    const results = [0, 1, 2, 3].map(call);
    const other = gate.run('b', () => Promise.resolve('b'));
    await expect(other).resolves.toBe('b');
    expect(started).toEqual([0, 1]);
    expect(gate.load('a')).toEqual({ inFlight: 2, waiting: 2 });
    finish[1]?.();
    await results[1];
    expect(started).toEqual([0, 1, 2]);
    finish[0]?.();
    finish[2]?.();
    await Promise.all([results[0], results[2]]);
    finish[3]?.();
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3]);
    expect(gate.load('a')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('frees the slot of a call that fails', async () => {
    const gate = createCallerGate(1);
    await expect(gate.run('a', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(gate.run('a', () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('tells callers apart by key, session and client address', () => {
    const options = { trustProxyHops: 0, ipv6PrefixBits: 64 };
    const context = (authorization: string | null, address: string) => ({
      request: new Request('http://gateway.test/graphql', {
        headers: authorization === null ? {} : { authorization },
      }),
      req: { socket: { remoteAddress: address } },
      auth: { caller: () => ({ kind: 'anonymous' }) as const },
    });
    const service = callerKey(
      { kind: 'service' },
      context(`Bearer ${SERVICE_KEY}`, '1.1.1.1'),
      options,
    );
    expect(service).toBe(
      callerKey({ kind: 'service' }, context(`Bearer ${SERVICE_KEY}`, '2.2.2.2'), options),
    );
    expect(service).not.toBe(
      callerKey({ kind: 'service' }, context(`Bearer ${OTHER_SERVICE_KEY}`, '1.1.1.1'), options),
    );
    expect(service).not.toContain(SERVICE_KEY);
    const anonymous = (address: string) =>
      callerKey({ kind: 'anonymous' }, context(null, address), options);
    expect(anonymous('198.51.100.7')).toBe('address:198.51.100.7');
    expect(anonymous('2001:db8::1')).toBe(anonymous('2001:db8::2'));
  });

  it('defaults to 8 calls per caller and a budget of 20 per operation', () => {
    expect(DEFAULT_QUERY_LIMITS).toMatchObject({ upstreamConcurrency: 8, upstreamBudget: 20 });
  });
});
