/**
 * The mini program example (examples/miniprogram/gateway.ts) with a stand-in `wx`: wx.login()
 * codes minted by the emulator, wx.request into the gateway, wx storage in a Map.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMiniProgramGateway, type Wx } from '../../examples/miniprogram/gateway.js';
import {
  createGatewayClient,
  fetchTransport,
  memorySession,
  PhoneNumberDocument,
} from '../../client/index.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { GATEWAY_URL, yogaFetch } from './yoga-transport.js';

interface FakeWx extends Wx {
  readonly storage: Map<string, string>;
  readonly logins: number;
  /** The next wx.request fails as WeChat reports a request that got no answer. */
  failNextRequest(): void;
}

function fakeWx(gw: Gateway, openid: string): FakeWx {
  const storage = new Map<string, string>();
  const fetch = yogaFetch(gw);
  let logins = 0;
  let failNext = false;
  return {
    storage,
    get logins() {
      return logins;
    },
    failNextRequest: () => {
      failNext = true;
    },
    login({ success }) {
      logins += 1;
      success({ code: gw.emulator.mintJsCode(gw.mini.appId, { openid }).code });
    },
    request({ url, header, data, success, fail }) {
      if (failNext) {
        failNext = false;
        fail({ errMsg: 'request:fail timeout' });
        return;
      }
      void fetch(url, { method: 'POST', headers: header, body: data }).then(async (res) =>
        success({ statusCode: res.status, data: await res.json() }),
      );
    },
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
  };
}

describe('the mini program example', () => {
  const fx = useGateway();
  const openid = 'oMiniProgramUser0000000001';

  it('signs in with wx.login(), keeps the token in wx storage and signs in again once it ended', async () => {
    const wx = fakeWx(fx.gw, openid);
    const gateway = createMiniProgramGateway(wx, GATEWAY_URL);
    expect(await gateway.me()).toMatchObject({ app: 'miniprogram', openid, user: null });
    expect(wx.logins).toBe(1);
    const token = wx.storage.get('gateway.session');
    expect(token).toEqual(expect.any(String));

    await gateway.me();
    expect(wx.logins).toBe(1);

    // Logged out on another device: the next call finds the session over and signs in afresh.
    const elsewhere = createGatewayClient({
      url: GATEWAY_URL,
      transport: fetchTransport(yogaFetch(fx.gw)),
      session: memorySession(token),
    });
    await elsewhere.logout();
    expect((await gateway.me()).openid).toBe(openid);
    expect(wx.logins).toBe(2);
    expect(wx.storage.get('gateway.session')).not.toBe(token);

    await gateway.client.logout();
    expect(wx.storage.has('gateway.session')).toBe(false);
  });

  it("reads the signed-in user's phone number with the typed operation, and only theirs", async () => {
    const wx = fakeWx(fx.gw, openid);
    const gateway = createMiniProgramGateway(wx, GATEWAY_URL);
    await gateway.signIn();
    const own = fx.gw.emulator.mintPhoneCode(fx.gw.mini.appId, {
      openid,
      phoneNumber: '13800138000',
      countryCode: '86',
    });
    const { phoneNumber } = await gateway.client.request(PhoneNumberDocument, { code: own.code });
    expect(phoneNumber).toEqual({
      phoneNumber: '13800138000',
      purePhoneNumber: '13800138000',
      countryCode: '86',
    });
    // A code another user's button produced is not this session's to read.
    const other = fx.gw.emulator.mintPhoneCode(fx.gw.mini.appId, {
      openid: 'oSomeoneElse000000001',
    });
    await expect(
      gateway.client.request(PhoneNumberDocument, { code: other.code }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('a wx.request that failed is a NETWORK_ERROR', async () => {
    const wx = fakeWx(fx.gw, openid);
    const gateway = createMiniProgramGateway(wx, GATEWAY_URL);
    wx.failNextRequest();
    await expect(gateway.signIn()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: 'the gateway could not be reached: request:fail timeout',
    });
  });
});

describe('the README’s mini program snippet', () => {
  it('is examples/miniprogram/gateway.ts as it is (without its header comment)', () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
    const source = read('../../examples/miniprogram/gateway.ts');
    const body = source.slice(source.indexOf('*/\n') + 3);
    expect(body).toContain('export function createMiniProgramGateway');
    expect(read('../../docs/frontend.md')).toContain(`\`\`\`ts\n${body}\`\`\``);
  });
});
