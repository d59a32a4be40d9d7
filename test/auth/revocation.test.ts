/**
 * Logout reaches every instance sharing the store within a second of their clocks, and a session
 * in steady use costs at most one store read per second per instance, not one per request.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenStore } from '../../src/store/store.js';
import { useGateway, type GatewayInstance } from '../support/harness.js';
import { loginOfficial } from '../support/sessions.js';
import { createFaultyStore } from '../support/store-faults.js';

/** The store, with every key it was asked to `get` recorded. */
function recordingReads(store: TokenStore, reads: string[]): TokenStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'get') {
        return (key: string) => {
          reads.push(key);
          return target.get(key);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

const ME = '{ me { openid } }';
const meStatus = async (via: Pick<GatewayInstance, 'query'>, token: string) =>
  (await via.query(ME, { as: { token } })).status;

describe('session revocation across instances', () => {
  const reads: string[] = [];
  const fx = useGateway({ wrapStore: (store) => recordingReads(store, reads) });
  const sessionReads = () => reads.filter((key) => key.includes(':session:')).length;

  it('reads the store at most once per second per session in steady use', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance();
    reads.length = 0;
    for (let i = 0; i < 20; i++) expect(await meStatus(other, token)).toBe(200);
    expect(sessionReads()).toBe(1);
    fx.gw.clock.advance(999);
    expect(await meStatus(other, token)).toBe(200);
    expect(sessionReads()).toBe(1);
    fx.gw.clock.advance(1);
    expect(await meStatus(other, token)).toBe(200);
    expect(sessionReads()).toBe(2);
    // Ten seconds of a request every 100 ms: ten reads, not a hundred.
    for (let i = 0; i < 100; i++) {
      fx.gw.clock.advance(100);
      expect(await meStatus(other, token)).toBe(200);
    }
    expect(sessionReads()).toBe(12);
  });

  it('refuses a session logged out elsewhere within one second, at once where it ended', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance();
    expect(await meStatus(other, token)).toBe(200);
    const logout = await fx.gw.query('mutation { logout }', { as: { token } });
    expect(logout.body).toEqual({ data: { logout: true } });
    expect(await meStatus(fx.gw, token)).toBe(401);
    fx.gw.clock.advance(1000);
    expect(await meStatus(other, token)).toBe(401);
    // A third instance that never saw the session refuses it at once.
    expect(await meStatus(fx.gw.instance(), token)).toBe(401);
  });
});

describe('sessions while the store is unreachable', () => {
  const faults = createFaultyStore();
  beforeEach(() => faults.reset());
  const fx = useGateway({ wrapStore: (store) => faults.wrap(store) });

  it('accept sessions not known to be ended, with one warning, and refuse a logout they cannot record', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance();
    faults.fail(['get', 'set']);
    for (let i = 0; i < 3; i++) {
      fx.gw.clock.advance(1000);
      expect(await meStatus(other, token)).toBe(200);
    }
    const warnings = fx.gw.logs.filter((line) => line.includes('logouts made on other instances'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');

    const logout = await fx.gw.query('mutation { logout }', { as: { token } });
    expect(logout.body.errors).toEqual([
      expect.objectContaining({
        message: 'The session could not be ended (token store unreachable); retry shortly.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      }),
    ]);
    faults.fail([]);
    // Not half-ended: the retry works, and then the session is refused everywhere.
    const retried = await fx.gw.query('mutation { logout }', { as: { token } });
    expect(retried.body).toEqual({ data: { logout: true } });
    fx.gw.clock.advance(1000);
    expect(await meStatus(other, token)).toBe(401);
  });

  it('refuse a mini program login whose session_key cannot be saved', async () => {
    faults.fail(['set']);
    const { code } = fx.gw.emulator.mintJsCode(fx.gw.mini.appId);
    const res = await fx.gw.query(
      `mutation { login(code: "${code}", app: "miniprogram") { token } }`,
      {
        as: 'anonymous',
      },
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          'The session could not be saved (token store unreachable); log in again with a new code.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      }),
    ]);
    expect(res.text).not.toMatch(/"token":"/);
  });
});

describe('SESSION_REVOCATION_FAIL_OPEN_MS: how long sessions are accepted while logouts cannot be read', () => {
  const faults = createFaultyStore();
  beforeEach(() => faults.reset());
  const fx = useGateway({ wrapStore: (store) => faults.wrap(store) });
  const UNCHECKABLE = {
    errors: [
      {
        message:
          'This session cannot be checked right now (the token store, where logouts are recorded, is unreachable); retry shortly.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      },
    ],
  };

  it('0 fails closed: a logged-out session is not accepted by an instance that cannot read the store', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance({ sessionRevocationFailOpenMs: 0 });
    expect(await meStatus(other, token)).toBe(200);
    faults.fail(['get']);
    // Logged out on an instance that still reaches the store: `other` cannot see it.
    faults.fail([]);
    expect((await fx.gw.query('mutation { logout }', { as: { token } })).body).toEqual({
      data: { logout: true },
    });
    faults.fail(['get']);
    fx.gw.clock.advance(1000);
    const refused = await other.query(ME, { as: { token } });
    expect(refused.body).toEqual(UNCHECKABLE);
  });

  it('a window: accepted from the first failed read until it has passed, then refused until the store answers', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance({ sessionRevocationFailOpenMs: 5000 });
    expect(await meStatus(other, token)).toBe(200);
    faults.fail(['get']);
    for (let i = 0; i < 4; i += 1) {
      fx.gw.clock.advance(1000);
      expect(await meStatus(other, token)).toBe(200);
    }
    fx.gw.clock.advance(2000);
    expect((await other.query(ME, { as: { token } })).body).toEqual(UNCHECKABLE);
    expect(
      fx.gw.logs.filter((line) => line.includes('sessions are refused meanwhile')),
    ).toHaveLength(1);
    faults.fail([]);
    expect(await meStatus(other, token)).toBe(200);
  });

  it('unset keeps the sessions for the whole outage (the default)', async () => {
    const { token } = await loginOfficial(fx.gw);
    const other = fx.gw.instance();
    faults.fail(['get']);
    for (let i = 0; i < 3; i += 1) {
      fx.gw.clock.advance(60 * 60_000);
      expect(await meStatus(other, token)).toBe(200);
    }
  });
});
