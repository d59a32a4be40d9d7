/**
 * GET /healthz and GET /readyz: ready whatever the token store, the breaker and the refresh budget
 * do (all reported in the body), unready only while draining; with the store down, clients are still served
 * (in-process coordination).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDrain } from '../../src/http/drain.js';
import type { ReadinessBody } from '../../src/http/health.js';
import { STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { instrumentStore, type InstrumentedStore } from '../tokens/fakes.js';
import { adminHeaders, startGateway, type Gateway } from '../support/harness.js';

let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function readyz(gateway: Gateway, method = 'GET', path = '/readyz') {
  const res = await gateway.yoga.fetch(`http://gateway.test${path}`, { method });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function startWithSwitchableStore(): Promise<{ gw: Gateway; store: InstrumentedStore }> {
  let instrumented: InstrumentedStore | undefined;
  const gateway = await startGateway({
    wrapStore: (inner) => {
      instrumented = instrumentStore(inner);
      return instrumented.store;
    },
  });
  if (instrumented === undefined) throw new Error('the harness did not wrap the store');
  return { gw: gateway, store: instrumented };
}

describe('GET /readyz', () => {
  it('answers 200 with the token store state, without the admin key', async () => {
    gw = await startGateway();
    const { status, type, text } = await readyz(gw);
    expect(status).toBe(200);
    expect(type).toBe('application/json');
    const body: ReadinessBody = JSON.parse(text);
    expect(body).toEqual({
      ready: true,
      status: 'serving',
      reason: 'listening and not draining',
      tokenStore: { kind: 'memory', reachable: true, state: 'local', coordination: 'store' },
      tokenBreakers: [
        { app: 'official', open: false, errcode: null, until: null },
        { app: 'miniprogram', open: false, errcode: null, until: null },
      ],
      tokenRefreshBudgets: [
        { app: 'official', refusing: false, until: null },
        { app: 'miniprogram', refusing: false, until: null },
      ],
    });
  });

  it('reports an app whose calls the spent refresh budget refuses, breaker closed, still ready', async () => {
    gw = await startGateway();
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    const lookUp = () => gw?.official.api.getUserInfo(openid, 'zh_CN').catch((e: unknown) => e);
    await lookUp();
    // WeChat keeps rejecting the token (and stable_token keeps handing it back): three refreshes,
    // then none is left and the dead token is not handed out any more.
    gw.emulator.failNext(USER_INFO_API, 100, { errcode: 40001 });
    for (let i = 0; i < 4; i += 1) await lookUp();
    expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(4);
    const refused = await lookUp();
    expect(refused).toMatchObject({ reason: 'refresh-budget' });
    const until = new Date(gw.clock.now() + 120_000).toISOString();

    const { status, text } = await readyz(gw);
    expect(status).toBe(200);
    const body: ReadinessBody = JSON.parse(text);
    expect(body).toMatchObject({
      ready: true,
      tokenBreakers: [
        { app: 'official', open: false },
        { app: 'miniprogram', open: false },
      ],
      tokenRefreshBudgets: [
        { app: 'official', refusing: true, until },
        { app: 'miniprogram', refusing: false, until: null },
      ],
    });
    const query =
      '{ tokenStatus { breaker { open } rejectedRefreshBudget { remaining refusing refusedUntil } } }';
    const shown = await gw.query(query, { headers: adminHeaders });
    expect(shown.body.data).toEqual({
      tokenStatus: {
        breaker: { open: false },
        rejectedRefreshBudget: { remaining: 0, refusing: true, refusedUntil: until },
      },
    });
    const metrics = await gw.yoga.fetch('http://gateway.test/metrics', { headers: adminHeaders });
    expect(await metrics.text()).toContain('wechat_token_refused{app="official"} 1');

    // Refilled: the next call may refresh again, and nothing is refused meanwhile.
    gw.clock.advance(120_000);
    expect(JSON.parse((await readyz(gw)).text).tokenRefreshBudgets[0]).toEqual({
      app: 'official',
      refusing: false,
      until: null,
    });
  });

  it('stays ready with a token breaker open, and reports it', async () => {
    gw = await startGateway();
    gw.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40125, errmsg: 'invalid appsecret' });
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    const failed = await gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(failed.body.errors).toBeDefined();
    const { status, text } = await readyz(gw);
    expect(status).toBe(200);
    const body: ReadinessBody = JSON.parse(text);
    expect(body.ready).toBe(true);
    expect(body.tokenBreakers).toEqual([
      {
        app: 'official',
        open: true,
        errcode: 40125,
        until: new Date(gw.clock.now() + 60_000).toISOString(),
      },
      { app: 'miniprogram', open: false, errcode: null, until: null },
    ]);
  });

  it('answers 503 with the reason while draining; /healthz stays 200', async () => {
    const drain = createDrain();
    gw = await startGateway({ drain });
    expect((await readyz(gw)).status).toBe(200);
    drain.begin('SIGTERM received');
    const { status, text } = await readyz(gw);
    expect(status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({
      ready: false,
      status: 'draining',
      reason: expect.stringMatching(/^draining \(SIGTERM received\)/),
      tokenStore: { reachable: true },
    });
    const health = await readyz(gw, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ alive: true, status: 'draining' });
    // Clients are still served during the drain, and told to reconnect (elsewhere).
    const res = await gw.query('{ __typename }');
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('stays ready with the store unreachable, says so, and clients are still served', async () => {
    const started = await startWithSwitchableStore();
    gw = started.gw;
    started.store.setDown(true);
    const { status, text } = await readyz(gw);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      ready: true,
      tokenStore: {
        kind: 'memory',
        reachable: false,
        state: 'connecting',
        coordination: 'in-process',
      },
      tokenBreakers: [
        { app: 'official', open: null, error: 'unknown: the token store is unreachable' },
        { app: 'miniprogram', open: null, error: 'unknown: the token store is unreachable' },
      ],
      // Known in memory, so reported while the store is away too.
      tokenRefreshBudgets: [
        { app: 'official', refusing: false, until: null },
        { app: 'miniprogram', refusing: false, until: null },
      ],
    });
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    const res = await gw.query<{ userInfo: { openid: string } }>(
      `{ userInfo(openid: "${openid}") { openid } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.userInfo.openid).toBe(openid);
    expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);

    started.store.setDown(false);
    expect(JSON.parse((await readyz(gw)).text)).toMatchObject({
      tokenStore: { reachable: true, coordination: 'store' },
    });
  });

  it('refuses other methods', async () => {
    gw = await startGateway();
    expect((await readyz(gw, 'POST')).status).toBe(405);
    expect((await readyz(gw, 'POST', '/healthz')).status).toBe(405);
  });
});

describe('the refresh budget in tokenStatus and /metrics', () => {
  it('shows what is left, fleet-wide, and this instance’s own while the store is down', async () => {
    const started = await startWithSwitchableStore();
    gw = started.gw;
    const query = `{ tokenStatus { rejectedRefreshBudget {
      remaining capacity refillSeconds nextRefillAt local } } }`;
    const full = await gw.query(query, { headers: adminHeaders });
    expect(full.body).toEqual({
      data: {
        tokenStatus: {
          rejectedRefreshBudget: {
            remaining: 3,
            capacity: 3,
            refillSeconds: 120,
            nextRefillAt: null,
            local: false,
          },
        },
      },
    });

    // WeChat rejects the token twice: two refreshes spent from the budget.
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    await gw.official.api.getUserInfo(openid, 'zh_CN');
    for (let i = 0; i < 2; i += 1) {
      gw.emulator.expireTokens(gw.official.appId);
      await gw.official.api.getUserInfo(openid, 'zh_CN');
    }
    expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(3);
    const spent = await gw.query(query, { headers: adminHeaders });
    expect(spent.body.data).toEqual({
      tokenStatus: {
        rejectedRefreshBudget: {
          remaining: 1,
          capacity: 3,
          refillSeconds: 120,
          nextRefillAt: new Date(gw.clock.now() + 120_000).toISOString(),
          local: false,
        },
      },
    });
    const metrics = await gw.yoga.fetch('http://gateway.test/metrics', { headers: adminHeaders });
    expect(await metrics.text()).toContain(
      'wechat_token_rejected_refresh_budget{app="official",scope="fleet"} 1',
    );

    started.store.setDown(true);
    const local = await gw.query(query, { headers: adminHeaders });
    expect(local.body.data).toMatchObject({
      tokenStatus: { rejectedRefreshBudget: { remaining: 3, local: true } },
    });
    const during = await gw.yoga.fetch('http://gateway.test/metrics', { headers: adminHeaders });
    expect(await during.text()).toContain(
      'wechat_token_rejected_refresh_budget{app="official",scope="local"} 3',
    );
  });
});
