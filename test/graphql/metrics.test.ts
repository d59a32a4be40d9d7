import { describe, expect, it } from 'vitest';
import { adminHeaders, startGateway, useGateway, type Gateway } from './harness.js';
import { STABLE_TOKEN_API } from '../support/wechat-api.js';
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
