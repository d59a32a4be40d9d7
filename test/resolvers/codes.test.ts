/**
 * QR codes, mini program codes and links, and phone numbers through yoga.fetch against the
 * emulator, with the injected clock: tickets that resolve to their scenes and expire, real image
 * bytes typed by their content, links that expire within 30 days, single-use 5-minute phone codes
 * and who may exchange them.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../support/time.js';
import {
  GENERATE_SCHEME_API,
  PHONE_NUMBER_API,
  QRCODE_CREATE_API,
  WXACODE_UNLIMIT_API,
} from '../support/wechat-api.js';
import { codesOf, useGateway, type Gateway } from '../support/harness.js';
import { loginMini, loginOfficial } from '../support/sessions.js';

const CREATE_QR = `mutation ($input: CreateQrCodeInput!) {
  createQrCode(input: $input) { ticket url imageUrl expiresAt }
}`;
const CODE = `query ($input: MiniProgramCodeInput!) {
  miniProgramCode(input: $input, app: "miniprogram") { contentType base64 }
}`;
const LINK = `mutation ($input: MiniProgramLinkInput!) {
  miniProgramLink(input: $input, app: "miniprogram") { url expiresAt }
}`;
const PHONE = `query ($code: String!, $openid: String, $app: String) {
  phoneNumber(code: $code, openid: $openid, app: $app) { phoneNumber purePhoneNumber countryCode }
}`;

type Qr = {
  createQrCode: { ticket: string; url: string; imageUrl: string; expiresAt: string | null };
};

describe('createQrCode', () => {
  const fx = useGateway();

  it('a temporary code: its ticket resolves to the scene until it expires; the image is served', async () => {
    const { gw } = fx;
    const res = await gw.query<Qr>(CREATE_QR, {
      variables: { input: { scene: { str: 'promo-spring' }, expiresIn: 600 } },
    });
    expect(res.body.errors).toBeUndefined();
    const qr = res.body.data?.createQrCode;
    expect(qr?.expiresAt).toBe(new Date(gw.clock.now() + 600 * SECOND).toISOString());
    expect(qr?.imageUrl).toBe(
      `${gw.emulator.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr?.ticket ?? '')}`,
    );
    expect(gw.emulator.qrCodeScene(qr?.ticket ?? '')).toMatchObject({
      sceneStr: 'promo-spring',
      permanent: false,
      url: qr?.url,
    });
    const image = await fetch(qr?.imageUrl ?? '');
    expect(image.status).toBe(200);
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    gw.clock.advance(600 * SECOND);
    expect(gw.emulator.qrCodeScene(qr?.ticket ?? '')).toBeUndefined();
    expect((await fetch(qr?.imageUrl ?? '')).status).toBe(404);
  });

  it('a permanent code with a numeric scene: no expiry; the same scene gives the same ticket', async () => {
    const { gw } = fx;
    const input = { scene: { id: 42 }, permanent: true };
    const first = await gw.query<Qr>(CREATE_QR, { variables: { input } });
    const second = await gw.query<Qr>(CREATE_QR, { variables: { input } });
    expect(first.body.data?.createQrCode.expiresAt).toBeNull();
    expect(second.body.data?.createQrCode.ticket).toBe(first.body.data?.createQrCode.ticket);
    expect(gw.emulator.qrCodeScene(first.body.data?.createQrCode.ticket ?? '')).toMatchObject({
      sceneId: 42,
      permanent: true,
    });
  });

  it.each([
    [{ scene: { id: 1, str: 'x' }, expiresIn: 60 }],
    [{ scene: { id: 100_001 }, permanent: true }],
    [{ scene: { str: 'x'.repeat(65) }, expiresIn: 60 }],
    [{ scene: { id: 1 }, expiresIn: 2_592_001 }],
    [{ scene: { id: 1 } }],
    [{ scene: { id: 1 }, expiresIn: 60, permanent: true }],
  ])('%j → BAD_USER_INPUT before any call', async (input) => {
    const res = await fx.gw.query(CREATE_QR, { variables: { input } });
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(fx.gw.emulator.calls(QRCODE_CREATE_API)).toBe(0);
  });

  it('-1 is retried once (a new temporary ticket is harmless)', async () => {
    const { gw } = fx;
    gw.emulator.failNext(QRCODE_CREATE_API, 1);
    const res = await gw.query<Qr>(CREATE_QR, {
      variables: { input: { scene: { id: 7 }, expiresIn: 60 } },
    });
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(QRCODE_CREATE_API)).toBe(2);
  });
});

type Code = { miniProgramCode: { contentType: string; base64: string } };

describe('miniProgramCode', () => {
  const fx = useGateway();

  it('answers the bytes with their real type (WeChat labels them image/jpeg)', async () => {
    const res = await fx.gw.query<Code>(CODE, {
      variables: {
        input: {
          scene: 'id=42&from=poster',
          page: 'pages/order/detail',
          width: 430,
          envVersion: 'TRIAL',
          lineColor: { r: 7, g: 193, b: 96 },
          transparent: true,
        },
      },
    });
    expect(res.body.errors).toBeUndefined();
    const code = res.body.data?.miniProgramCode;
    expect(code?.contentType).toBe('image/png');
    const bytes = Buffer.from(code?.base64 ?? '', 'base64');
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]));
  });

  it.each([
    ['a page that is not published', { scene: 'a', page: 'pages/draft/x' }, 41030],
    [
      'a page that is not published, checkPath false',
      { scene: 'a', page: 'pages/draft/x', checkPath: false },
      0,
    ],
  ])('%s → errcode %i', async (_case, input, errcode) => {
    const res = await fx.gw.query<Code>(CODE, { variables: { input } });
    if (errcode === 0) expect(res.body.errors).toBeUndefined();
    else {
      expect(res.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        wechat: { errcode },
      });
    }
  });

  it('errcodes of the JSON error body map like any other (-1 retried once: stateless)', async () => {
    const { gw } = fx;
    gw.emulator.failNext(WXACODE_UNLIMIT_API, 2, { errcode: -1 });
    const busy = await gw.query(CODE, { variables: { input: { scene: 'a' } } });
    expect(codesOf(busy.body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(gw.emulator.calls(WXACODE_UNLIMIT_API)).toBe(2);
    for (const [errcode, code] of [
      [40169, 'BAD_USER_INPUT'],
      [40129, 'BAD_USER_INPUT'],
      [40097, 'BAD_USER_INPUT'],
      [45009, 'RATE_LIMITED'],
      [45063, 'UPSTREAM_MISCONFIGURED'],
      [47001, 'UPSTREAM_REJECTED'],
    ] as const) {
      gw.emulator.failNext(WXACODE_UNLIMIT_API, 1, { errcode });
      const res = await gw.query(CODE, { variables: { input: { scene: 'a' } } });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, wechat: { errcode } });
    }
  });

  it('bad scene, page or width → BAD_USER_INPUT before any call; an official account too', async () => {
    const { gw } = fx;
    for (const input of [
      { scene: '' },
      { scene: 'x'.repeat(33) },
      { scene: '中文' },
      { scene: 'a', page: '/pages/index/index' },
      { scene: 'a', width: 100 },
    ]) {
      const res = await gw.query(CODE, { variables: { input } });
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    }
    const official = await gw.query('{ miniProgramCode(input: { scene: "a" }) { contentType } }');
    expect(codesOf(official.body)).toEqual(['BAD_USER_INPUT']);
    expect(gw.emulator.calls(WXACODE_UNLIMIT_API)).toBe(0);
  });
});

type Link = { miniProgramLink: { url: string; expiresAt: string } };

describe('miniProgramLink', () => {
  const fx = useGateway();

  it('URL Scheme and URL Link, in days or to an instant, opening the page asked for', async () => {
    const { gw } = fx;
    const scheme = await gw.query<Link>(LINK, {
      variables: {
        input: { kind: 'SCHEME', path: 'pages/promo/landing', query: 'from=sms', expiresInDays: 7 },
      },
    });
    expect(scheme.body.data?.miniProgramLink.url).toMatch(/^weixin:\/\/dl\/business\/\?t=/);
    expect(scheme.body.data?.miniProgramLink.expiresAt).toBe(
      new Date(gw.clock.now() + 7 * 86_400 * SECOND).toISOString(),
    );
    expect(gw.emulator.linkTarget(scheme.body.data?.miniProgramLink.url ?? '')).toMatchObject({
      path: 'pages/promo/landing',
      query: 'from=sms',
    });
    const at = new Date(Math.floor(gw.clock.now() / 1000) * 1000 + 3600 * SECOND);
    const link = await gw.query<Link>(LINK, {
      variables: { input: { kind: 'URL_LINK', expiresAt: at.toISOString() } },
    });
    expect(link.body.data?.miniProgramLink).toEqual({
      url: expect.stringMatching(/^https:\/\/wxaurl\.cn\//),
      expiresAt: at.toISOString(),
    });
  });

  it('a page that is not published → BAD_USER_INPUT (40165); bad expiry refused before any call', async () => {
    const { gw } = fx;
    const res = await gw.query(LINK, { variables: { input: { kind: 'SCHEME', path: 'pages/x' } } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40165 },
    });
    for (const input of [
      { kind: 'SCHEME', expiresInDays: 31 },
      { kind: 'SCHEME', expiresAt: new Date(gw.clock.now() + 31 * 86_400_000).toISOString() },
      {
        kind: 'SCHEME',
        expiresInDays: 3,
        expiresAt: new Date(gw.clock.now() + 3_600_000).toISOString(),
      },
    ]) {
      expect(codesOf((await gw.query(LINK, { variables: { input } })).body)).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
    expect(gw.emulator.calls(GENERATE_SCHEME_API)).toBe(1);
  });
});

async function phone(gw: Gateway, variables: Record<string, unknown>, as?: { token: string }) {
  return gw.query<{ phoneNumber: Record<string, string> }>(PHONE, { variables, as });
}

describe('phoneNumber', () => {
  const fx = useGateway();

  it('a service key exchanges a code once; the code is single-use and lives 5 minutes', async () => {
    const { gw } = fx;
    const minted = gw.emulator.mintPhoneCode(gw.mini.appId, { phoneNumber: '13912345678' });
    const res = await phone(gw, { code: minted.code, app: 'miniprogram' });
    expect(res.body.data?.phoneNumber).toEqual({
      phoneNumber: '13912345678',
      purePhoneNumber: '13912345678',
      countryCode: '86',
    });
    const again = await phone(gw, { code: minted.code, app: 'miniprogram' });
    expect(again.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40029 },
    });
    const late = gw.emulator.mintPhoneCode(gw.mini.appId);
    gw.clock.advance(300 * SECOND);
    const expired = await phone(gw, { code: late.code, app: 'miniprogram' });
    expect(expired.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 40029 } });
    expect(JSON.stringify(gw.logs)).not.toContain(minted.code);
  });

  it('a foreign number carries its country code; a service key may have the user checked', async () => {
    const { gw } = fx;
    const minted = gw.emulator.mintPhoneCode(gw.mini.appId, {
      phoneNumber: '61234567',
      countryCode: '852',
    });
    const wrongUser = await phone(gw, {
      code: minted.code,
      openid: 'oSomeoneElse000000000000001',
      app: 'miniprogram',
    });
    expect(codesOf(wrongUser.body)).toEqual(['BAD_USER_INPUT']);
    const res = await phone(gw, { code: minted.code, openid: minted.openid, app: 'miniprogram' });
    expect(res.body.data?.phoneNumber).toEqual({
      phoneNumber: '+85261234567',
      purePhoneNumber: '61234567',
      countryCode: '852',
    });
  });

  it("a mini program session gets its own user's number, never another user's", async () => {
    const { gw } = fx;
    const session = await loginMini(gw);
    const own = gw.emulator.mintPhoneCode(gw.mini.appId, { openid: session.openid });
    const res = await phone(gw, { code: own.code }, { token: session.token });
    expect(res.body.data?.phoneNumber?.['purePhoneNumber']).toBe(own.purePhoneNumber);
    // Another user's code: WeChat checks it against the session's openid.
    const other = gw.emulator.mintPhoneCode(gw.mini.appId);
    const refused = await phone(gw, { code: other.code }, { token: session.token });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 40029 } });
    const withOpenid = await phone(
      gw,
      { code: other.code, openid: other.openid },
      { token: session.token },
    );
    expect(codesOf(withOpenid.body)).toEqual(['BAD_USER_INPUT']);
  });

  it("another app's session → FORBIDDEN before any call; an official account → BAD_USER_INPUT", async () => {
    const { gw } = fx;
    const official = await loginOfficial(gw);
    const minted = gw.emulator.mintPhoneCode(gw.mini.appId);
    const forbidden = await phone(
      gw,
      { code: minted.code, app: 'miniprogram' },
      { token: official.token },
    );
    expect(forbidden.status).toBe(403);
    expect(codesOf(forbidden.body)).toEqual(['FORBIDDEN']);
    const ownApp = await phone(gw, { code: minted.code }, { token: official.token });
    expect(ownApp.body.errors?.[0]?.message).toContain('needs a mini program');
    expect(gw.emulator.calls(PHONE_NUMBER_API)).toBe(0);
  });

  it('-1 is retried once (the code is not spent); a lost answer is not', async () => {
    const { gw } = fx;
    const minted = gw.emulator.mintPhoneCode(gw.mini.appId);
    gw.emulator.failNext(PHONE_NUMBER_API, 1);
    const res = await phone(gw, { code: minted.code, app: 'miniprogram' });
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(PHONE_NUMBER_API)).toBe(2);
    const next = gw.emulator.mintPhoneCode(gw.mini.appId);
    gw.emulator.dropResponseNext(PHONE_NUMBER_API);
    const lost = await phone(gw, { code: next.code, app: 'miniprogram' });
    expect(codesOf(lost.body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(gw.emulator.calls(PHONE_NUMBER_API)).toBe(3);
  });
});
