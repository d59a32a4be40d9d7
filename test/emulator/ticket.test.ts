import { describe, expect, it } from 'vitest';
import { MINI } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { TICKET_API } from '../support/wechat-api.js';
import {
  expectErrcode,
  get,
  legacyToken,
  stableToken,
  stringField,
  useEmulator,
} from './helpers.js';

describe('GET /cgi-bin/ticket/getticket', () => {
  const fx = useEmulator();

  it('returns errcode 0, a ticket and expires_in 7200', async () => {
    const res = await get(fx.emulator, TICKET_API, {
      access_token: await stableToken(fx.emulator),
      type: 'jsapi',
    });
    expect(res.body).toStrictEqual({
      errcode: 0,
      errmsg: 'ok',
      ticket: expect.stringMatching(/^[A-Za-z0-9_-]{80,}$/),
      expires_in: 7200,
    });
  });

  it('returns the same ticket while it is valid, always saying 7200, whichever token asks', async () => {
    const stable = await stableToken(fx.emulator);
    const first = await get(fx.emulator, TICKET_API, {
      access_token: stable,
      type: 'jsapi',
    });
    fx.clock.advance(3600 * SECOND);
    const later = await get(fx.emulator, TICKET_API, {
      access_token: await legacyToken(fx.emulator),
      type: 'jsapi',
    });
    expect(later.body).toEqual(first.body);
    fx.clock.advance(3599 * SECOND);
    const last = await get(fx.emulator, TICKET_API, {
      access_token: stable,
      type: 'jsapi',
    });
    expect(last.body.ticket).toBe(first.body.ticket);
    expect(last.body.expires_in).toBe(7200);
  });

  it('issues a new ticket once the old one is 7200 s old', async () => {
    const token = await legacyToken(fx.emulator);
    const first = stringField(
      await get(fx.emulator, TICKET_API, { access_token: token, type: 'jsapi' }),
      'ticket',
    );
    fx.clock.advance(7000 * SECOND);
    const fresh = await legacyToken(fx.emulator);
    fx.clock.advance(200 * SECOND);
    const second = await get(fx.emulator, TICKET_API, {
      access_token: fresh,
      type: 'jsapi',
    });
    expect(second.body.ticket).not.toBe(first);
    expect(second.body.expires_in).toBe(7200);
  });

  it('keeps a separate wx_card ticket', async () => {
    const token = await stableToken(fx.emulator);
    const jsapi = await get(fx.emulator, TICKET_API, {
      access_token: token,
      type: 'jsapi',
    });
    const card = await get(fx.emulator, TICKET_API, {
      access_token: token,
      type: 'wx_card',
    });
    expect(card.body.errcode).toBe(0);
    expect(card.body.ticket).not.toBe(jsapi.body.ticket);
  });

  it('answers 40097 for a missing or unknown type and 48001 for a mini program', async () => {
    const token = await stableToken(fx.emulator);
    expectErrcode(await get(fx.emulator, TICKET_API, { access_token: token }), 40097);
    expectErrcode(await get(fx.emulator, TICKET_API, { access_token: token, type: 'x' }), 40097);
    expectErrcode(
      await get(fx.emulator, TICKET_API, {
        access_token: await stableToken(fx.emulator, MINI),
        type: 'jsapi',
      }),
      48001,
    );
  });
});
