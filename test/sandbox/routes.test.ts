/**
 * The sandbox's helper routes as one table over one helper: the same parameter reader as the
 * emulator's controls (query, JSON body, form body), the app named by `app`, and one answer shape
 * for every mistake (400, 405 with a reason). The routes themselves: messages.test.ts,
 * test/graphiql/graphiql.test.ts, test/events/sandbox-flow.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, SERVICE_KEY, useGateway } from '../support/harness.js';

describe('sandbox routes', () => {
  const fx = useGateway({ sandbox: true, sandboxKeys: { service: SERVICE_KEY, admin: ADMIN_KEY } });
  const call = (path: string, init: RequestInit = {}) =>
    fx.gw.yoga.fetch(`http://gateway.test${path}`, init);

  it('read a form body as well as a JSON one, over the query', async () => {
    const res = await call('/sandbox/oauth-code?scope=snsapi_userinfo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'scope=snsapi_base',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ app: 'official', scope: 'snsapi_base' });
  });

  it('answer every mistake with its reason: a bad body, the emulator’s refusal, an unknown app', async () => {
    const broken = await call('/sandbox/js-code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"openid":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'the body is neither JSON nor a form' });

    const refused = await call('/sandbox/js-code?openid=bad%20openid!');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/openid/) });

    const unknown = await call('/sandbox/sent-messages?app=shop');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: expect.stringContaining('Unknown app "shop"') });

    const method = await call('/sandbox/phone-code', { method: 'PUT' });
    expect(method.status).toBe(405);
    expect(await method.json()).toEqual({ error: 'use GET or POST' });
  });

  it('list every app’s messages when no app is named', async () => {
    const res = await call('/sandbox/sent-messages');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: fx.gw.emulator.sentMessages() });
  });
});
