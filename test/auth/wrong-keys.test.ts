/**
 * Wrong keys lock a client out: up to KEY_FAILURE_LIMIT (10) within a day are answered 401
 * as usual, each one after that locks the client (an IPv4 address, an IPv6 /64) out for 15 s,
 * then 30 s, 60 s … up to an hour: RATE_LIMITED (HTTP 429, Retry-After), the right key included,
 * without the key being compared. A right key never counts; session tokens are never counted
 * nor refused; other clients are not affected.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../support/time.js';
import {
  ADMIN_KEY,
  codesOf,
  SERVICE_KEY,
  useGateway,
  type GatewayInstance,
} from '../support/harness.js';
import { loginOfficial } from '../support/sessions.js';

const FOLLOWERS = '{ followers(first: 1) { totalCount } }';
const ATTACKER = '203.0.113.66';

function withKey(
  via: Pick<GatewayInstance, 'query'>,
  key: string,
  clientAddress = ATTACKER,
  headers: Record<string, string> = {},
) {
  return via.query(FOLLOWERS, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    clientAddress,
  });
}

const wrong = (i: number) => `wrong-key-${i}-0123456789abcdef0123456789`;

async function failTenTimes(gw: Pick<GatewayInstance, 'query'>, clientAddress = ATTACKER) {
  for (let i = 0; i < 10; i += 1) {
    expect((await withKey(gw, wrong(i), clientAddress)).status).toBe(401);
  }
}

describe('wrong keys from one client', () => {
  const fx = useGateway();

  it('3200 wrong keys: 10 answered 401, every later one 429 without being compared', async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 3200; i += 1) {
      const res = await withKey(fx.gw, wrong(i));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10, 429: 3190 });
  }, 120_000);

  it('lock the client out for longer each time, and say until when', async () => {
    const { gw } = fx;
    await failTenTimes(gw);
    const first = await withKey(gw, wrong(10));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('15');
    expect(first.body).toEqual({
      errors: [
        {
          message: 'Too many wrong keys from this address: keys from it are refused for 15 s.',
          extensions: { code: 'RATE_LIMITED', retryAfter: 15 },
        },
      ],
    });
    // While locked out, keys are not even counted: the lock does not grow by itself.
    gw.clock.advance(5 * SECOND);
    for (let i = 0; i < 20; i += 1) {
      expect((await withKey(gw, wrong(100 + i))).body.errors?.[0]?.extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfter: 10,
      });
    }
    gw.clock.advance(10 * SECOND);
    // Once it ends, the next wrong key locks the client out twice as long.
    const second = await withKey(gw, wrong(11));
    expect(second.headers.get('retry-after')).toBe('30');
    // A day after the first wrong key the count starts over.
    gw.clock.advance(24 * 3600 * SECOND);
    expect((await withKey(gw, wrong(12))).status).toBe(401);
    const log = gw.logs.find((line) => line.includes('wrong keys from one client'));
    expect(log).toContain(`"client":"${ATTACKER}"`);
  });

  it('doubles up to an hour', async () => {
    const { gw } = fx;
    await failTenTimes(gw);
    const seen: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await withKey(gw, wrong(10 + i));
      seen.push(res.headers.get('retry-after') ?? '');
      gw.clock.advance(Number(res.headers.get('retry-after')) * SECOND);
    }
    expect(seen).toEqual(['15', '30', '60', '120', '240', '480', '960', '1920', '3600', '3600']);
  });

  it('refuse the right key from a locked-out client too, until the lock-out ends', async () => {
    const { gw } = fx;
    await failTenTimes(gw);
    expect((await withKey(gw, wrong(10))).status).toBe(429);
    // Answering it would tell a guesser which key is right.
    const right = await withKey(gw, SERVICE_KEY);
    expect(right.status).toBe(429);
    expect(codesOf(right.body)).toEqual(['RATE_LIMITED']);
    // Another client is not affected.
    expect((await withKey(gw, SERVICE_KEY, '203.0.113.67')).status).toBe(200);
    gw.clock.advance(15 * SECOND);
    expect((await withKey(gw, SERVICE_KEY)).status).toBe(200);
  });

  it('never count a right key, nor a session token, and never refuse a session', async () => {
    const { gw } = fx;
    for (let i = 0; i < 50; i += 1) expect((await withKey(gw, SERVICE_KEY)).status).toBe(200);
    for (let i = 0; i < 20; i += 1) {
      // Session-shaped: forging one needs the signing secret, and a stale one is an everyday event.
      const forged = await gw.query('{ me { openid } }', {
        as: { token: `eyJhbGciOiJIUzI1NiJ9.e30.forged-${i}` },
        clientAddress: ATTACKER,
      });
      expect(forged.status).toBe(401);
    }
    await failTenTimes(gw);
    expect((await withKey(gw, wrong(10))).status).toBe(429);
    const { token } = await loginOfficial(gw);
    const me = await gw.query('{ me { openid } }', { as: { token }, clientAddress: ATTACKER });
    expect(me.status).toBe(200);
  });

  it('count the addresses of one IPv6 /64 together, IPv4-mapped addresses as IPv4', async () => {
    const { gw } = fx;
    for (let i = 0; i < 10; i += 1) {
      expect((await withKey(gw, wrong(i), `2001:db8:77:1::${(i + 1).toString(16)}`)).status).toBe(
        401,
      );
    }
    expect((await withKey(gw, wrong(10), '2001:db8:77:1:ffff::1')).status).toBe(429);
    expect((await withKey(gw, SERVICE_KEY, '2001:db8:77:2::1')).status).toBe(200);
    await failTenTimes(gw, '198.51.100.99');
    expect((await withKey(gw, wrong(10), '::ffff:198.51.100.99')).status).toBe(429);
  });

  it('count wrong admin keys on /metrics too', async () => {
    const { gw } = fx;
    const scrape = (key: string) =>
      gw.yoga.fetch(
        'http://gateway.test/metrics',
        { headers: { authorization: `Bearer ${key}` } },
        { req: { socket: { remoteAddress: ATTACKER } } },
      );
    for (let i = 0; i < 10; i += 1) expect((await scrape(wrong(i))).status).toBe(401);
    expect((await scrape(wrong(10))).status).toBe(429);
    expect((await scrape(ADMIN_KEY)).status).toBe(429);
  });
});

describe('wrong keys across the fleet', () => {
  const fx = useGateway();

  it('are counted together; another instance refuses at the next wrong key it sees', async () => {
    const other = fx.gw.instance();
    for (let i = 0; i < 10; i += 1) {
      expect((await withKey(i % 2 === 0 ? fx.gw : other, wrong(i))).status).toBe(401);
    }
    expect((await withKey(fx.gw, wrong(10))).status).toBe(429);
    expect((await withKey(other, wrong(11))).status).toBe(429);
    expect((await withKey(other, SERVICE_KEY)).status).toBe(429);
  });
});

describe('KEY_FAILURE_LIMIT=0', () => {
  const fx = useGateway({ access: { keyFailureLimit: 0 } });

  it('never locks a client out', async () => {
    for (let i = 0; i < 30; i += 1) expect((await withKey(fx.gw, wrong(i))).status).toBe(401);
    expect((await withKey(fx.gw, SERVICE_KEY)).status).toBe(200);
  });
});
