import { describe, expect, it } from 'vitest';
import { createGatewayApps } from '../../src/apps/gateway-apps.js';
import {
  createGatewayMetrics,
  MAX_OPERATION_NAMES,
} from '../../src/observability/gateway-metrics.js';
import { createSilentLogger } from '../../src/observability/logger.js';
import { sandboxAppConfigs } from '../../src/sandbox/index.js';
import { createWechatHttp } from '../../src/wechat/http.js';
import { adminHeaders, startGateway, useGateway, type Gateway } from '../support/harness.js';
import { BATCHGET_API, STABLE_TOKEN_API } from '../support/wechat-api.js';
import { MINUTE } from '../support/time.js';

async function scrape(gw: Gateway, headers: Record<string, string> = {}) {
  const res = await gw.yoga.fetch('http://gateway.test/metrics', { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('GET /metrics', () => {
  const fx = useGateway();

  it('needs the admin key, like the admin fields', async () => {
    expect((await scrape(fx.gw)).status).toBe(401);
    expect((await scrape(fx.gw, { authorization: 'Bearer wrong-key-0123456789' })).status).toBe(
      401,
    );
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it("reports the token's lifetime and today's ledger after traffic, never the token", async () => {
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    const res = await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(res.body.errors).toBeUndefined();
    fx.gw.clock.advance(MINUTE);

    const { status, type, text } = await scrape(fx.gw, adminHeaders);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toContain('wechat_token_ttl_seconds{app="official",mode="stable"} 7140');
    expect(text).toContain(
      'wechat_token_calls_today{app="official",endpoint="/cgi-bin/stable_token",reason="cold"} 1',
    );
    expect(text).toContain('wechat_token_breaker_open{app="official",errcode=""} 0');
    expect(text).toContain('wechat_ticket_calls_today{app="official"} 0');
    const token = (await fx.gw.official.tokens.getAccessToken()).value;
    expect(text).not.toContain(token);
    // Reading metrics costs no token call.
    expect(fx.gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('shows an open breaker with the errcode that opened it', async () => {
    fx.gw.emulator.failNext(STABLE_TOKEN_API, 1, { errcode: 40125 });
    const [openid = ''] = fx.gw.emulator.followerOpenids(fx.gw.official.appId);
    await fx.gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    const { text } = await scrape(fx.gw, adminHeaders);
    expect(text).toContain('wechat_token_breaker_open{app="official",errcode="40125"} 1');
    expect(text).toContain('wechat_token_failures_today{app="official",errcode="40125"} 1');
  });

  it('is refused with 405 for other methods', async () => {
    const res = await fx.gw.yoga.fetch('http://gateway.test/metrics', {
      method: 'POST',
      headers: adminHeaders,
    });
    expect(res.status).toBe(405);
  });
});

/** The value of the sample `series` (name and labels exactly as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics: operations, errors, upstream, token cache, process', () => {
  const fx = useGateway();

  it('counts and times operations by name and their errors by the code the client got', async () => {
    const { gw } = fx;
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    const lookup = `query Lookup($openid: String!) { userInfo(openid: $openid) { openid } }`;
    for (let i = 0; i < 3; i += 1) {
      expect((await gw.query(lookup, { variables: { openid } })).body.errors).toBeUndefined();
    }
    // WeChat answers 40003 for an unknown openid: BAD_USER_INPUT for the client.
    const bad = await gw.query(lookup, { variables: { openid: 'o-no-such-user' } });
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const refused = await gw.query('query Token { accessToken { value } }', { as: 'anonymous' });
    expect(refused.status).toBe(401);
    const invalid = await gw.query('query Broken { noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');

    const { text } = await scrape(gw, adminHeaders);
    const lookupLabels = 'operationType="query",operationName="Lookup"';
    expect(sample(text, `graphql_envelop_request{${lookupLabels}}`)).toBe(4);
    expect(sample(text, `graphql_envelop_request_duration_count{${lookupLabels}}`)).toBe(4);
    expect(
      sample(
        text,
        `graphql_yoga_http_duration_count{${lookupLabels},method="POST",statusCode="200"}`,
      ),
    ).toBe(4);
    // An anonymous caller's operations are "anonymous", whatever their name.
    expect(
      sample(
        text,
        'graphql_yoga_http_duration_count{operationType="query",operationName="anonymous",method="POST",statusCode="401"}',
      ),
    ).toBe(1);
    expect(sample(text, `graphql_errors_total{${lookupLabels},code="BAD_USER_INPUT"}`)).toBe(1);
    expect(
      sample(
        text,
        'graphql_errors_total{operationType="query",operationName="anonymous",code="UNAUTHENTICATED"}',
      ),
    ).toBe(1);
    // Refused by validation before its key was read: the caller is not identified.
    expect(
      sample(
        text,
        'graphql_errors_total{operationType="query",operationName="unidentified",code="GRAPHQL_VALIDATION_FAILED"}',
      ),
    ).toBe(1);
    expect(text).not.toMatch(/operationName="(Token|Broken)"/);
    // Successful operations count no error.
    expect(text).not.toMatch(/graphql_errors_total\{[^}]*code="(none|INTERNAL_SERVER_ERROR)"/);
  });

  it('times upstream calls and counts errcodes by endpoint, never with a query string', async () => {
    const { gw } = fx;
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    gw.emulator.failNext('/cgi-bin/user/info/batchget', 1, { errcode: 45009 });
    const failed = await gw.query(`{ userInfo(openid: "${openid}") { openid } }`);
    expect(failed.body.errors).toHaveLength(1);
    expect((await gw.query(`{ userInfo(openid: "${openid}") { openid } }`)).body.errors).toBe(
      undefined,
    );

    const { text } = await scrape(gw, adminHeaders);
    const batchget = 'endpoint="/cgi-bin/user/info/batchget"';
    expect(sample(text, `wechat_upstream_errcodes_total{${batchget},errcode="45009"}`)).toBe(1);
    expect(
      sample(text, `wechat_upstream_request_duration_seconds_count{${batchget},outcome="errcode"}`),
    ).toBe(1);
    expect(
      sample(text, `wechat_upstream_request_duration_seconds_count{${batchget},outcome="ok"}`),
    ).toBe(1);
    expect(
      sample(
        text,
        'wechat_upstream_request_duration_seconds_count{endpoint="/cgi-bin/stable_token",outcome="ok"}',
      ),
    ).toBe(1);
    // A bucket of the ok series: latency is observed, not just counted.
    expect(text).toMatch(
      /wechat_upstream_request_duration_seconds_bucket\{le="\+Inf",endpoint="\/cgi-bin\/user\/info\/batchget",outcome="ok"\} 1/,
    );
    expect(text).not.toContain('access_token=');
    expect(text).not.toContain((await gw.official.tokens.getAccessToken()).value);
  });

  it('counts token lookups served from memory, loads answered by the store and fetches', async () => {
    const { gw } = fx;
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    for (let i = 0; i < 5; i += 1) {
      expect((await gw.query(`{ userInfo(openid: "${openid}") { openid } }`)).body.errors).toBe(
        undefined,
      );
    }
    // A second instance of the fleet (own registry) over the same store finds the token there.
    const metrics = createGatewayMetrics();
    const http = createWechatHttp({ baseUrl: gw.emulator.url, observer: metrics.upstream });
    try {
      const other = createGatewayApps(sandboxAppConfigs(gw.emulator, 'stable'), {
        http,
        store: gw.store,
        clock: gw.clock,
        logger: createSilentLogger(),
        metrics,
      });
      const official = other.apps.find((app) => app.kind === 'official');
      await official?.tokens.getAccessToken();
      await official?.tokens.getAccessToken();
      const otherText = await metrics.registry.metrics();
      const labels = 'app="official",credential="access_token"';
      expect(sample(otherText, `wechat_token_cache_total{${labels},result="store_hit"}`)).toBe(1);
      expect(sample(otherText, `wechat_token_cache_total{${labels},result="memory_hit"}`)).toBe(1);
      expect(sample(otherText, `wechat_token_cache_total{${labels},result="upstream_fetch"}`)).toBe(
        undefined,
      );
    } finally {
      await http.close();
    }
    const { text } = await scrape(gw, adminHeaders);
    const labels = 'app="official",credential="access_token"';
    expect(sample(text, `wechat_token_cache_total{${labels},result="upstream_fetch"}`)).toBe(1);
    // The first call waited for the fetch; the four after it were served from memory.
    expect(sample(text, `wechat_token_cache_total{${labels},result="memory_hit"}`)).toBe(4);
    expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
  });

  it('counts user look-ups by where they were served and the users each batchget carried', async () => {
    const gw = await startGateway({ users: { cache: { ttlMs: 10 * MINUTE, maxEntries: 100 } } });
    try {
      const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 3);
      const lookUp = (openid: string) =>
        gw.query(`{ userInfo(openid: "${openid}") { openid } }`).then((res) => res.body.errors);
      // Three operations at once share one call; then the same three again, from the cache.
      expect(await Promise.all(openids.map(lookUp))).toEqual([undefined, undefined, undefined]);
      expect(await Promise.all(openids.map(lookUp))).toEqual([undefined, undefined, undefined]);
      expect(gw.emulator.calls(BATCHGET_API)).toBe(1);

      const { text } = await scrape(gw, adminHeaders);
      const app = 'app="official"';
      expect(sample(text, `wechat_user_lookups_total{${app},result="upstream"}`)).toBe(3);
      expect(sample(text, `wechat_user_lookups_total{${app},result="cache_hit"}`)).toBe(3);
      expect(sample(text, `wechat_user_batch_size_count{${app}}`)).toBe(1);
      expect(sample(text, `wechat_user_batch_size_sum{${app}}`)).toBe(3);
      expect(sample(text, `wechat_user_batch_size_bucket{le="2",${app}}`)).toBe(0);
      expect(sample(text, `wechat_user_batch_size_bucket{le="5",${app}}`)).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it("includes the process's metrics", async () => {
    const { text } = await scrape(fx.gw, adminHeaders);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});

describe('operation-name label slots', () => {
  const fx = useGateway();

  it('are taken by authenticated callers only: 110 junk names from anonymous callers leave a service its name', async () => {
    const { gw } = fx;
    for (let i = 0; i < 110; i += 1) {
      // Allowed (introspection of the root type name) and refused alike: neither takes a slot.
      const query =
        i % 2 === 0 ? `query Junk${i} { __typename }` : `query Junk${i} { tokenStatus { app } }`;
      await gw.query(query, { as: 'anonymous' });
    }
    // A credential that proves nothing (session-shaped, so no key lock-out) takes none either.
    for (let i = 0; i < 5; i += 1) {
      await gw.query(`query Forged${i} { __typename }`, { as: { token: 'a.b.c' } });
    }
    const [openid = ''] = gw.emulator.followerOpenids(gw.official.appId);
    const lookup = 'query Lookup($openid: String!) { userInfo(openid: $openid) { openid } }';
    expect((await gw.query(lookup, { variables: { openid } })).body.errors).toBeUndefined();

    const { text } = await scrape(gw, adminHeaders);
    const labels = (name: string) => `operationType="query",operationName="${name}"`;
    expect(sample(text, `graphql_envelop_request{${labels('Lookup')}}`)).toBe(1);
    expect(sample(text, `graphql_envelop_request{${labels('other')}}`)).toBeUndefined();
    expect(sample(text, `graphql_envelop_request{${labels('anonymous')}}`)).toBe(110);
    expect(
      sample(text, `graphql_errors_total{${labels('anonymous')},code="UNAUTHENTICATED"}`),
    ).toBe(55);
    expect(
      sample(text, `graphql_errors_total{${labels('unidentified')},code="UNAUTHENTICATED"}`),
    ).toBe(5);
    expect(text).not.toMatch(/operationName="(Junk|Forged)\d+"/);
  });

  it("are kept per kind of caller: sessions (anyone can log in) cannot use up the services' slots", () => {
    const metrics = createGatewayMetrics();
    for (let i = 0; i < MAX_OPERATION_NAMES; i += 1) {
      expect(metrics.operationName(`Session${i}`, 'session')).toBe(`Session${i}`);
    }
    expect(metrics.operationName('OneTooMany', 'session')).toBe('other');
    expect(metrics.operationName('Lookup', 'service')).toBe('Lookup');
    expect(metrics.operationName('Token', 'admin')).toBe('Token');
    for (const caller of ['anonymous', 'invalid', 'unidentified']) {
      expect(metrics.operationName('Lookup', caller)).toBe(
        caller === 'anonymous' ? 'anonymous' : 'unidentified',
      );
    }
  });
});

describe('GET /metrics without ADMIN_API_KEY', () => {
  it('is disabled (403), never open', async () => {
    const gw = await startGateway({ adminApiKey: null });
    try {
      expect((await scrape(gw)).status).toBe(403);
    } finally {
      await gw.close();
    }
  });
});
