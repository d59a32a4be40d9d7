/**
 * A session token in steady use is verified cryptographically once per instance; expiry, logout
 * and a logout on another instance still refuse it as before. jose's jwtVerify is wrapped by a
 * spy that calls the real one, so the count is of real verifications.
 */
import type * as Jose from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createSessions } from '../../src/auth/sessions.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createAppRegistry, type GatewayApp } from '../../src/apps/gateway-apps.js';
import { createSilentLogger } from '../../src/observability/logger.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { HOUR, SECOND } from '../support/time.js';

const jose = vi.hoisted(() => ({ verifications: 0 }));

vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof Jose>();
  return {
    ...actual,
    jwtVerify: (...args: Parameters<typeof actual.jwtVerify>) => {
      jose.verifications += 1;
      return actual.jwtVerify(...args);
    },
  };
});

const official = { name: 'official', kind: 'official', appId: 'wx00000000000000a1' } as GatewayApp;
const SECRET = 'unit-session-secret-0123456789abcdef-0123';

function instance(clock: ReturnType<typeof createManualClock>, store: TokenStore) {
  return createSessions({
    secrets: [SECRET],
    ttlMs: HOUR,
    apps: createAppRegistry([official], 'official'),
    store,
    clock,
    logger: createSilentLogger(),
  });
}

async function setUp() {
  const clock = createManualClock();
  const store = await createTokenStore('memory', { clock });
  return { clock, store, a: instance(clock, store), b: instance(clock, store) };
}

const user = { openid: 'o-official-user', unionid: null };

describe('remembered sessions', () => {
  it('verifies a repeated token once per instance', async () => {
    const { clock, a, b } = await setUp();
    const { token } = await a.open(official, user);
    jose.verifications = 0;
    for (let i = 0; i < 20; i++) {
      clock.advance(SECOND);
      expect(await a.authenticate(token)).toMatchObject({ openid: user.openid });
      expect(await b.authenticate(token)).toMatchObject({ openid: user.openid });
    }
    // `a` signed it (and remembered it then); `b` verified it on first sight only.
    expect(jose.verifications).toBe(1);
  });

  it('still refuses a remembered token once it expired', async () => {
    const { clock, a } = await setUp();
    const { token } = await a.open(official, user);
    expect(await a.authenticate(token)).toBeDefined();
    clock.advance(HOUR - 1);
    expect(await a.authenticate(token)).toBeDefined();
    clock.advance(1);
    expect(await a.authenticate(token)).toBeUndefined();
  });

  it('refuses a remembered token at once after logout, and on another instance within a second', async () => {
    const { clock, a, b } = await setUp();
    const { token, session } = await a.open(official, user);
    expect(await a.authenticate(token)).toBeDefined();
    expect(await b.authenticate(token)).toBeDefined();
    jose.verifications = 0;
    await a.end(session);
    expect(await a.authenticate(token)).toBeUndefined();
    clock.advance(SECOND);
    expect(await b.authenticate(token)).toBeUndefined();
    expect(jose.verifications).toBe(0);
  });

  it('verifies every different token, and refuses a forged one', async () => {
    const { a } = await setUp();
    const first = await a.open(official, user);
    const second = await a.open(official, user);
    jose.verifications = 0;
    const other = instance(createManualClock(), await createTokenStore('memory'));
    expect(await other.authenticate(first.token)).toBeDefined();
    expect(await other.authenticate(second.token)).toBeDefined();
    const [header, payload] = first.token.split('.');
    expect(await other.authenticate(`${header}.${payload}.AAAA`)).toBeUndefined();
    expect(jose.verifications).toBe(3);
  });
});
