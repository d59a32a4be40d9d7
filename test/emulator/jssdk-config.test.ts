import { describe, expect, it } from 'vitest';
import { signJsapi } from '../../src/wechat/jssdk.js';
import type { Emulator } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import { TICKET_API } from '../support/wechat-api.js';
import { get, stableToken, stringField, useEmulator } from './helpers.js';

const PAGE = 'https://shop.example.com/h5/?from=menu';

async function jsapiTicket(emulator: Emulator): Promise<string> {
  const res = await get(emulator, TICKET_API, {
    access_token: await stableToken(emulator),
    type: 'jsapi',
  });
  return stringField(res, 'ticket');
}

/** wx.config's arguments as the gateway's signer makes them for `url`. */
function signed(ticket: string, url: string) {
  const timestamp = 1_700_000_000;
  const nonceStr = 'Wm3WZYTPz0wzccnW';
  return {
    appId: OFFICIAL.appId,
    timestamp,
    nonceStr,
    signature: signJsapi({ ticket, nonceStr, timestamp, url }),
  };
}

describe('checkJsapiConfig: wx.config as WeChat’s browser checks it', () => {
  const fx = useEmulator();

  it('accepts the gateway’s signature of this page with the current ticket; the fragment is not part of it', async () => {
    const config = signed(await jsapiTicket(fx.emulator), PAGE);
    expect(fx.emulator.checkJsapiConfig(config, PAGE)).toEqual({ ok: true });
    expect(fx.emulator.checkJsapiConfig(config, `${PAGE}#section`)).toEqual({ ok: true });
    // wx.config passes the timestamp as a number or a string.
    const asText = { ...config, timestamp: String(config.timestamp) };
    expect(fx.emulator.checkJsapiConfig(asText, PAGE)).toEqual({ ok: true });
  });

  it('refuses a changed signature, nonce or timestamp, and a signature of another page', async () => {
    const ticket = await jsapiTicket(fx.emulator);
    const config = signed(ticket, PAGE);
    const refused = {
      ok: false,
      errMsg: 'config:invalid signature',
      reason: expect.stringContaining('does not match'),
    };
    const flipped = `${config.signature[0] === 'a' ? 'b' : 'a'}${config.signature.slice(1)}`;
    expect(fx.emulator.checkJsapiConfig({ ...config, signature: flipped }, PAGE)).toEqual(refused);
    expect(fx.emulator.checkJsapiConfig({ ...config, nonceStr: 'other' }, PAGE)).toEqual(refused);
    expect(fx.emulator.checkJsapiConfig({ ...config, timestamp: 1 }, PAGE)).toEqual(refused);
    expect(fx.emulator.checkJsapiConfig(config, 'https://shop.example.com/h5/')).toEqual(refused);
    expect(
      fx.emulator.checkJsapiConfig({ ...config, signature: config.signature.toUpperCase() }, PAGE),
    ).toEqual(refused);
  });

  it('refuses everything while the account has no valid ticket: none issued, or expired', async () => {
    const unsigned = signed('no-ticket-was-issued', PAGE);
    expect(fx.emulator.checkJsapiConfig(unsigned, PAGE)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no valid jsapi_ticket'),
    });
    const config = signed(await jsapiTicket(fx.emulator), PAGE);
    fx.clock.advance(7200 * SECOND);
    expect(fx.emulator.checkJsapiConfig(config, PAGE)).toMatchObject({
      ok: false,
      errMsg: 'config:invalid signature',
    });
  });

  it('refuses an appId that is no official account of the emulator, and missing fields', async () => {
    const config = signed(await jsapiTicket(fx.emulator), PAGE);
    expect(fx.emulator.checkJsapiConfig({ ...config, appId: MINI.appId }, PAGE)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not an official account'),
    });
    expect(fx.emulator.checkJsapiConfig({ ...config, nonceStr: '' }, PAGE)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('required'),
    });
  });
});
