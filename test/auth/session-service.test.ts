/** The session service on its own: what later APIs will ask of it (the mini program session_key). */
import { describe, expect, it } from 'vitest';
import { createSessions } from '../../src/auth/sessions.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createAppRegistry, type GatewayApp } from '../../src/apps/gateway-apps.js';
import { createSilentLogger } from '../../src/observability/logger.js';
import { createTokenStore } from '../../src/store/open.js';
import { HOUR } from '../support/time.js';

const mini = { name: 'mini', kind: 'miniprogram', appId: 'wx00000000000000b2' } as GatewayApp;

async function setUp() {
  const clock = createManualClock();
  const store = await createTokenStore('memory', { clock });
  const sessions = createSessions({
    secrets: ['unit-session-secret-0123456789abcdef-0123'],
    ttlMs: HOUR,
    apps: createAppRegistry([mini], 'mini'),
    store,
    clock,
    logger: createSilentLogger(),
  });
  return { clock, store, sessions };
}

describe('createSessions', () => {
  it('hands a live session its session_key, and nothing once it ended or expired', async () => {
    const { clock, sessions } = await setUp();
    const identity = { openid: 'o-mini-user', unionid: null, sessionKey: 'c2Vzc2lvbi1rZXktMTY=' };
    const first = await sessions.open(mini, identity);
    const second = await sessions.open(mini, identity);
    expect(await sessions.sessionKey(first.session)).toBe('c2Vzc2lvbi1rZXktMTY=');

    await sessions.end(first.session);
    expect(await sessions.sessionKey(first.session)).toBeUndefined();
    expect(await sessions.authenticate(first.token)).toBeUndefined();
    // Another session of the same user is not touched.
    expect(await sessions.authenticate(second.token)).toMatchObject({ openid: 'o-mini-user' });

    clock.advance(HOUR);
    expect(await sessions.sessionKey(second.session)).toBeUndefined();
    expect(await sessions.authenticate(second.token)).toBeUndefined();
  });

  it('answers a remembered, recently checked session without waiting for anything', async () => {
    const { sessions } = await setUp();
    const { token } = await sessions.open(mini, { openid: 'o-mini-user', unionid: null });
    expect(await sessions.authenticate(token)).toMatchObject({ openid: 'o-mini-user' });
    expect(sessions.authenticate(token)).toMatchObject({ openid: 'o-mini-user', app: mini });
  });
});
