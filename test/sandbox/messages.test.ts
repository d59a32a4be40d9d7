/**
 * The sandbox's helpers for the write examples: a phone-number code (the button), a
 * subscribe-message consent (the dialog's "accept") and the view of what the emulator delivered.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, SERVICE_KEY, useGateway } from '../support/harness.js';
import { follower, SEND_TEMPLATE, templateInput } from '../support/operations.js';

describe('sandbox message helpers', () => {
  const fx = useGateway({ sandbox: true, sandboxKeys: { service: SERVICE_KEY, admin: ADMIN_KEY } });

  it('/sandbox/phone-code mints a single-use code whose query runs as it is', async () => {
    const res = await fx.gw.yoga.fetch(
      'http://gateway.test/sandbox/phone-code?phoneNumber=13700001111',
    );
    expect(res.status).toBe(200);
    const minted: { code: string; query: string; app: string; expiresInSeconds: number } =
      await res.json();
    expect(minted).toMatchObject({ app: 'miniprogram', expiresInSeconds: 300 });
    const answer = await fx.gw.query(minted.query);
    expect(answer.body.data).toEqual({
      phoneNumber: {
        phoneNumber: '13700001111',
        purePhoneNumber: '13700001111',
        countryCode: '86',
      },
    });
  });

  it('/sandbox/subscribe-consent grants one consent per call (POST JSON too)', async () => {
    const { gw } = fx;
    const { openid } = gw.emulator.mintJsCode(gw.mini.appId);
    const res = await gw.yoga.fetch('http://gateway.test/sandbox/subscribe-consent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app: 'miniprogram', openid, count: '2' }),
    });
    expect(await res.json()).toMatchObject({ openid, consents: 2 });
    const bad = await gw.yoga.fetch('http://gateway.test/sandbox/subscribe-consent?app=nope');
    expect(bad.status).toBe(400);
  });

  it('/sandbox/sent-messages shows what was delivered, per app', async () => {
    const { gw } = fx;
    await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
    const res = await gw.yoga.fetch('http://gateway.test/sandbox/sent-messages?app=official');
    const body: { messages: { kind: string; to: string[] }[] } = await res.json();
    expect(body.messages.at(-1)).toMatchObject({ kind: 'template', to: [follower(gw)] });
  });
});
