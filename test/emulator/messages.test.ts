/**
 * The emulator's message rules on the wire, with the injected clock: the send log (control and
 * HTTP view), template messages only to followers, the client_msg_id window, subscribe consents
 * per template (one message each), mass clientmsgid windows, and 64-bit msgids as bare numbers.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CONTROL_PATHS } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { SECOND } from '../support/time.js';
import {
  MASS_GET_API,
  MASS_SEND_API,
  MASS_SENDALL_API,
  SUBSCRIBE_BIZSEND_API,
  SUBSCRIBE_SEND_API,
  TEMPLATE_SEND_API,
} from '../support/wechat-api.js';
import { expectErrcode, postJson, stableToken, useEmulator } from './helpers.js';

const TEMPLATE = 'tmplOrderShipped0000000000000000000000000001';
const MP_TEMPLATE = 'subsMpOrderStatus0000000000000000000000000004';
const OA_TEMPLATE = 'subsOaAppointment000000000000000000000000003';
const MP_DATA = {
  character_string1: { value: 'A1' },
  thing2: { value: '已发货' },
  amount3: { value: '¥9.90' },
  time4: { value: '10:30' },
};

describe('template messages', () => {
  const fx = useEmulator({ controls: true });

  it('are logged with a 64-bit msgid written as a bare JSON number', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    const res = await postJson(
      emulator,
      TEMPLATE_SEND_API,
      { access_token: token },
      {
        touser: openid,
        template_id: TEMPLATE,
        data: { keyword1: { value: 'x' } },
      },
    );
    const [sent] = emulator.sentMessages();
    expect(res.text).toContain(`"msgid":${sent?.msgId}}`);
    expect(BigInt(sent?.msgId ?? '0')).toBeGreaterThan(2n ** 53n);
    const view = await request(`${emulator.url}${CONTROL_PATHS.sentMessages}`);
    const body = (await view.body.json()) as { messages: unknown[] };
    expect(body.messages).toEqual([expect.objectContaining({ msgId: sent?.msgId, to: [openid] })]);
    // The control is not a WeChat call.
    expect(emulator.calls(CONTROL_PATHS.sentMessages)).toBe(0);
  });

  it('go to followers only (43004), from this account’s templates only (40037)', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const [stranger = ''] = emulator.unsubscribedOpenids(OFFICIAL.appId);
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    const send = (body: object) =>
      postJson(emulator, TEMPLATE_SEND_API, { access_token: token }, body);
    expectErrcode(await send({ touser: stranger, template_id: TEMPLATE, data: {} }), 43004);
    expectErrcode(await send({ touser: openid, template_id: OA_TEMPLATE, data: {} }), 40037);
    expectErrcode(await send({ touser: openid, template_id: TEMPLATE }), 47003);
    expectErrcode(await send({ touser: 'nobody', template_id: TEMPLATE, data: {} }), 40003);
    const mpToken = await stableToken(emulator, MINI);
    expectErrcode(
      await postJson(emulator, TEMPLATE_SEND_API, { access_token: mpToken }, {}),
      48001,
    );
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('one message per openid and client_msg_id for 10 minutes (then 40241 says duplicate)', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator);
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    const body = { touser: openid, template_id: TEMPLATE, data: {}, client_msg_id: 'o-1' };
    const send = () => postJson(emulator, TEMPLATE_SEND_API, { access_token: token }, body);
    expect((await send()).body.errcode).toBe(0);
    clock.advance(9 * 60 * SECOND);
    expectErrcode(await send(), 40241);
    clock.advance(61 * SECOND);
    expect((await send()).body.errcode).toBe(0);
    expect(emulator.sentMessages()).toHaveLength(2);
  });

  it('a dropped response is applied first: logged, but the client gets no answer', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    emulator.dropResponseNext(TEMPLATE_SEND_API);
    await expect(
      postJson(
        emulator,
        TEMPLATE_SEND_API,
        { access_token: token },
        {
          touser: openid,
          template_id: TEMPLATE,
          data: {},
        },
      ),
    ).rejects.toThrow();
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(emulator.calls(TEMPLATE_SEND_API)).toBe(1);
  });
});

describe('subscribe messages', () => {
  const fx = useEmulator();

  it('need one consent per message, per template (43101 without)', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator, MINI);
    const { openid } = emulator.mintJsCode(MINI.appId);
    const send = () =>
      postJson(
        emulator,
        SUBSCRIBE_SEND_API,
        { access_token: token },
        {
          touser: openid,
          template_id: MP_TEMPLATE,
          page: 'pages/order/detail?id=1',
          data: MP_DATA,
        },
      );
    expectErrcode(await send(), 43101);
    expect(
      emulator.grantSubscribeConsent(MINI.appId, { openid, templateId: MP_TEMPLATE, count: 2 }),
    ).toBe(2);
    expect((await send()).body.errcode).toBe(0);
    expect((await send()).body.errcode).toBe(0);
    expectErrcode(await send(), 43101);
    expect(emulator.sentMessages(MINI.appId)).toHaveLength(2);
    expect(() =>
      emulator.grantSubscribeConsent(MINI.appId, { openid, templateId: TEMPLATE }),
    ).toThrow(RangeError);
  });

  it('check data against the template (47003) and the page against the published ones (41030)', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator, MINI);
    const { openid } = emulator.mintJsCode(MINI.appId);
    emulator.grantSubscribeConsent(MINI.appId, { openid, templateId: MP_TEMPLATE, count: 5 });
    const send = (extra: object) =>
      postJson(
        emulator,
        SUBSCRIBE_SEND_API,
        { access_token: token },
        {
          touser: openid,
          template_id: MP_TEMPLATE,
          data: MP_DATA,
          ...extra,
        },
      );
    expectErrcode(await send({ data: { ...MP_DATA, thing2: { value: 'x'.repeat(21) } } }), 47003);
    expectErrcode(await send({ data: { thing2: { value: 'x' } } }), 47003);
    expectErrcode(await send({ page: '/pages/index/index' }), 41030);
    expectErrcode(await send({ page: 'pages/nope' }), 41030);
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('bizsend (official accounts) takes a web page or a mini program page', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const [openid = ''] = emulator.followerOpenids(OFFICIAL.appId);
    emulator.grantSubscribeConsent(OFFICIAL.appId, { openid, templateId: OA_TEMPLATE });
    const res = await postJson(
      emulator,
      SUBSCRIBE_BIZSEND_API,
      { access_token: token },
      {
        touser: openid,
        template_id: OA_TEMPLATE,
        miniprogram: { appid: MINI.appId, pagepath: 'pages/index/index' },
        data: {
          thing1: { value: '复诊' },
          time2: { value: '09:30' },
          phrase3: { value: '已预约' },
        },
      },
    );
    expect(res.body.errcode).toBe(0);
    expect(emulator.sentMessages()[0]).toMatchObject({
      kind: 'bizsend',
      page: 'pages/index/index',
    });
  });
});

describe('mass sends', () => {
  const fx = useEmulator();

  it('clientmsgid: 45066 within a minute, 45065 with the first msg_id within 24 h, new after', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator);
    const body = {
      filter: { is_to_all: true },
      msgtype: 'text',
      text: { content: 'hi' },
      clientmsgid: 'c-1',
    };
    const send = () => postJson(emulator, MASS_SENDALL_API, { access_token: token }, body);
    const first = await send();
    expect(first.body).toMatchObject({ errcode: 0, errmsg: 'send job submission success' });
    expectErrcode(await send(), 45066);
    clock.advance(61 * SECOND);
    const repeat = await send();
    expectErrcode(repeat, 45065);
    expect(repeat.body.msg_id).toBe(first.body.msg_id);
    clock.advance(24 * 3600 * SECOND);
    // The token expired meanwhile (2 h): a fresh one.
    const fresh = await stableToken(emulator);
    const later = await postJson(emulator, MASS_SENDALL_API, { access_token: fresh }, body);
    expect(later.body.errcode).toBe(0);
    expect(emulator.sentMessages()).toHaveLength(2);
    expectErrcode(
      await postJson(
        emulator,
        MASS_SENDALL_API,
        { access_token: fresh },
        { ...body, clientmsgid: 'x'.repeat(65) },
      ),
      45067,
    );
  });

  it('without clientmsgid, the same content to the same audience within 24 h is one job', async () => {
    const { emulator } = fx;
    const token = await stableToken(emulator);
    const body = {
      filter: { is_to_all: false, tag_id: 100 },
      msgtype: 'text',
      text: { content: 'hi' },
    };
    expect(
      (await postJson(emulator, MASS_SENDALL_API, { access_token: token }, body)).body.errcode,
    ).toBe(0);
    expectErrcode(await postJson(emulator, MASS_SENDALL_API, { access_token: token }, body), 45065);
  });

  it('send wants 2–10 000 known openids; media must exist; status follows the clock', async () => {
    const { emulator, clock } = fx;
    const token = await stableToken(emulator);
    const [a = '', b = ''] = emulator.followerOpenids(OFFICIAL.appId);
    const send = (extra: object) =>
      postJson(
        emulator,
        MASS_SEND_API,
        { access_token: token },
        { touser: [a, b], msgtype: 'text', text: { content: 'x' }, ...extra },
      );
    expectErrcode(await send({ touser: [a] }), 40130);
    expectErrcode(await send({ touser: [a, 'nobody'] }), 40003);
    expectErrcode(await send({ msgtype: 'mpnews', mpnews: { media_id: 'nope' } }), 40007);
    const ok = await send({ clientmsgid: 'ok-1' });
    const status = async () =>
      (
        await postJson(
          emulator,
          MASS_GET_API,
          { access_token: token },
          { msg_id: String(ok.body.msg_id) },
        )
      ).body.msg_status;
    expect(await status()).toBe('SENDING');
    clock.advance(60 * SECOND);
    expect(await status()).toBe('SEND_SUCCESS');
  });
});
