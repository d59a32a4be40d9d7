/**
 * Template and subscribe messages through yoga.fetch against the emulator: what is delivered
 * (the emulator's send log), how WeChat's refusals read, and that a send is never delivered twice
 * by the gateway: a lost answer or -1 is UPSTREAM_OUTCOME_UNKNOWN after one request; a rejected
 * token is refreshed and the send retried once, delivering it once.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../support/time.js';
import { STABLE_TOKEN_API, SUBSCRIBE_SEND_API, TEMPLATE_SEND_API } from '../support/wechat-api.js';
import { codesOf, startGateway, useGateway } from '../support/harness.js';
import {
  follower,
  miniSubscribeInput,
  miniUserWithConsent,
  OA_SUBSCRIBE_TEMPLATE,
  SEND_SUBSCRIBE,
  SEND_TEMPLATE,
  templateInput,
} from '../support/operations.js';

type Sent = { sendTemplateMessage: { msgId: string | null } };
type SentSubscribe = { sendSubscribeMessage: { msgId: string | null } };

describe('sendTemplateMessage', () => {
  const fx = useGateway();

  it('delivers the message once and returns its 64-bit msgid exactly, as a string', async () => {
    const { gw } = fx;
    const res = await gw.query<Sent>(SEND_TEMPLATE, {
      variables: {
        input: templateInput(gw, {
          url: 'https://shop.example.com/orders/42',
          miniProgram: { appId: gw.mini.appId, pagePath: 'pages/order/detail?id=42' },
          clientMsgId: 'order-42-shipped',
        }),
      },
    });
    expect(res.body.errors).toBeUndefined();
    const log = gw.emulator.sentMessages(gw.official.appId);
    expect(log).toHaveLength(1);
    const [sent] = log;
    // Beyond 2^53: a JSON.parse on the way would have changed its last digits.
    expect(BigInt(sent?.msgId ?? '0')).toBeGreaterThan(2n ** 53n);
    expect(res.body.data?.sendTemplateMessage.msgId).toBe(sent?.msgId);
    expect(sent).toMatchObject({
      kind: 'template',
      to: [follower(gw)],
      data: { keyword1: 'SF1234567890', keyword2: '已发货' },
      clientMsgId: 'order-42-shipped',
      page: 'pages/order/detail',
    });
  });

  it('a user who does not follow → RECIPIENT_NOT_SUBSCRIBED, nothing sent', async () => {
    const { gw } = fx;
    const [stranger = ''] = gw.emulator.unsubscribedOpenids(gw.official.appId);
    const res = await gw.query(SEND_TEMPLATE, {
      variables: { input: templateInput(gw, { openid: stranger }) },
    });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RECIPIENT_NOT_SUBSCRIBED',
      wechat: { errcode: 43004 },
    });
    expect(gw.emulator.sentMessages()).toEqual([]);
  });

  it.each([
    ['an unknown template', { templateId: 'tmplDoesNotExist' }, 40037],
    ['a subscribe template id', { templateId: OA_SUBSCRIBE_TEMPLATE }, 40037],
    ['an unknown openid', { openid: 'oUnknownUser000000000000000' }, 40003],
    [
      'a page of a mini program that is not linked',
      { miniProgram: { appId: 'wx0000000000000zz9', pagePath: 'pages/index/index' } },
      40165,
    ],
  ])('%s → BAD_USER_INPUT (errcode %#)', async (_case, extra, errcode) => {
    const { gw } = fx;
    const res = await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw, extra) } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode },
    });
    expect(gw.emulator.sentMessages()).toEqual([]);
  });

  it('bad input is refused before any upstream call', async () => {
    const { gw } = fx;
    for (const extra of [
      { openid: 'not an openid' },
      { data: [] },
      { url: 'javascript:alert(1)' },
      { clientMsgId: 'x'.repeat(33) },
      {
        data: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
      },
    ]) {
      const res = await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw, extra) } });
      expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(0);
  });

  it('a mini program app → BAD_USER_INPUT naming the kind', async () => {
    const res = await fx.gw.query(SEND_TEMPLATE, {
      variables: { input: templateInput(fx.gw), app: 'miniprogram' },
    });
    expect(res.body.errors?.[0]?.message).toContain('needs an official account');
  });

  it('the same clientMsgId again within 10 minutes → ALREADY_SENT, delivered once', async () => {
    const { gw } = fx;
    const input = templateInput(gw, { clientMsgId: 'order-42-shipped' });
    await gw.query(SEND_TEMPLATE, { variables: { input } });
    gw.clock.advance(5 * 60 * SECOND);
    const again = await gw.query(SEND_TEMPLATE, { variables: { input } });
    expect(again.body.errors?.[0]?.extensions).toEqual({
      code: 'ALREADY_SENT',
      msgId: null,
      wechat: { errcode: 40241, rid: expect.any(String) },
    });
    expect(gw.emulator.sentMessages()).toHaveLength(1);
    // Another user, or the same id 10 minutes later, is a new message.
    gw.clock.advance(6 * 60 * SECOND);
    const later = await gw.query(SEND_TEMPLATE, { variables: { input } });
    expect(later.body.errors).toBeUndefined();
    expect(gw.emulator.sentMessages()).toHaveLength(2);
  });
});

describe('a send is never delivered twice by the gateway', () => {
  const fx = useGateway();

  it('response lost after WeChat applied it → UPSTREAM_OUTCOME_UNKNOWN, one request, one message', async () => {
    const { gw } = fx;
    await gw.official.tokens.getAccessToken();
    gw.emulator.dropResponseNext(TEMPLATE_SEND_API);
    const res = await gw.query(SEND_TEMPLATE, {
      variables: { input: templateInput(gw, { clientMsgId: 'order-42-shipped' }) },
    });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('may or may not have gone out'),
      extensions: { code: 'UPSTREAM_OUTCOME_UNKNOWN' },
    });
    expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(1);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
    // The caller's repeat with the same clientMsgId learns that it went out.
    const repeat = await gw.query(SEND_TEMPLATE, {
      variables: { input: templateInput(gw, { clientMsgId: 'order-42-shipped' }) },
    });
    expect(codesOf(repeat.body)).toEqual(['ALREADY_SENT']);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it('-1 on a send → UPSTREAM_OUTCOME_UNKNOWN with the errcode, not repeated', async () => {
    const { gw } = fx;
    gw.emulator.failNext(TEMPLATE_SEND_API, 1, { errcode: -1 });
    const res = await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_OUTCOME_UNKNOWN',
      wechat: { errcode: -1, rid: expect.any(String) },
    });
    expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(1);
  });

  it('40001 → token refreshed, the send retried once and delivered exactly once', async () => {
    const { gw } = fx;
    await gw.official.tokens.getAccessToken();
    // A real rotation elsewhere: the gateway's token is dead at once (no grace after force).
    gw.emulator.forceRotateStable(gw.official.appId);
    gw.emulator.resetCalls();
    const res = await gw.query<Sent>(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(2);
    expect(gw.emulator.calls(STABLE_TOKEN_API)).toBe(1);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
    expect(res.body.data?.sendTemplateMessage.msgId).toBe(gw.emulator.sentMessages()[0]?.msgId);
  });

  it.each([40001, 40014, 42001])('injected %i → retried once, delivered once', async (errcode) => {
    const { gw } = fx;
    gw.emulator.failNext(TEMPLATE_SEND_API, 1, { errcode });
    const res = await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(2);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it('a timeout on a send → UPSTREAM_OUTCOME_UNKNOWN after one request', async () => {
    const gw = await startGateway({ http: { headersTimeoutMs: 200, bodyTimeoutMs: 200 } });
    try {
      await gw.official.tokens.getAccessToken();
      gw.emulator.hangNext(TEMPLATE_SEND_API);
      const res = await gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
      expect(codesOf(res.body)).toEqual(['UPSTREAM_OUTCOME_UNKNOWN']);
      expect(gw.emulator.calls(TEMPLATE_SEND_API)).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('a subscribe send whose answer is lost is not repeated; the consent is spent', async () => {
    const { gw } = fx;
    const openid = miniUserWithConsent(gw);
    await gw.mini.tokens.getAccessToken();
    gw.emulator.dropResponseNext(SUBSCRIBE_SEND_API);
    const res = await gw.query(SEND_SUBSCRIBE, {
      variables: { input: miniSubscribeInput(openid), app: 'miniprogram' },
    });
    expect(codesOf(res.body)).toEqual(['UPSTREAM_OUTCOME_UNKNOWN']);
    expect(gw.emulator.calls(SUBSCRIBE_SEND_API)).toBe(1);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
    // A repeat reads NO_CONSENT: the sign that the first one went out (§10).
    const repeat = await gw.query(SEND_SUBSCRIBE, {
      variables: { input: miniSubscribeInput(openid), app: 'miniprogram' },
    });
    expect(codesOf(repeat.body)).toEqual(['NO_CONSENT']);
  });
});

describe('sendSubscribeMessage', () => {
  const fx = useGateway();

  it('mini program: one consent, one message; the next one → NO_CONSENT', async () => {
    const { gw } = fx;
    const openid = miniUserWithConsent(gw);
    const variables = {
      input: miniSubscribeInput(openid, { miniProgramState: 'TRIAL', lang: 'EN_US' }),
      app: 'miniprogram',
    };
    const res = await gw.query<SentSubscribe>(SEND_SUBSCRIBE, { variables });
    expect(res.body.errors).toBeUndefined();
    const [sent] = gw.emulator.sentMessages(gw.mini.appId);
    expect(res.body.data?.sendSubscribeMessage.msgId).toBe(sent?.msgId);
    expect(sent).toMatchObject({ kind: 'subscribe', to: [openid] });
    const again = await gw.query(SEND_SUBSCRIBE, { variables });
    expect(again.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NO_CONSENT',
      wechat: { errcode: 43101 },
    });
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it('official account (bizsend): consent per template, web page or mini program page', async () => {
    const { gw } = fx;
    const openid = follower(gw);
    gw.emulator.grantSubscribeConsent(gw.official.appId, {
      openid,
      templateId: OA_SUBSCRIBE_TEMPLATE,
      count: 2,
    });
    const data = [
      { key: 'thing1', value: '牙科复诊' },
      { key: 'time2', value: '2026-01-20 09:30' },
      { key: 'phrase3', value: '已预约' },
    ];
    const web = await gw.query(SEND_SUBSCRIBE, {
      variables: {
        input: { openid, templateId: OA_SUBSCRIBE_TEMPLATE, data, page: 'https://a.example/x' },
      },
    });
    expect(web.body.errors).toBeUndefined();
    const mini = await gw.query(SEND_SUBSCRIBE, {
      variables: {
        input: {
          openid,
          templateId: OA_SUBSCRIBE_TEMPLATE,
          data,
          miniProgram: { appId: gw.mini.appId, pagePath: 'pages/index/index' },
        },
      },
    });
    expect(mini.body.errors).toBeUndefined();
    expect(gw.emulator.sentMessages().map((sent) => sent.kind)).toEqual(['bizsend', 'bizsend']);
  });

  it.each([
    [
      'a value that breaks the key type',
      { data: [{ key: 'thing2', value: 'x'.repeat(21) }] },
      47003,
      'BAD_USER_INPUT',
    ],
    [
      'a page not in the published version',
      { page: 'pages/unknown/page' },
      41030,
      'BAD_USER_INPUT',
    ],
    [
      'a template-message id',
      { templateId: 'tmplOrderShipped0000000000000000000000000001' },
      40037,
      'BAD_USER_INPUT',
    ],
  ])('%s → %s', async (_case, extra, errcode, code) => {
    const { gw } = fx;
    const openid = miniUserWithConsent(gw);
    const input = miniSubscribeInput(openid, extra);
    if ('data' in extra) {
      input.data = [
        ...miniSubscribeInput(openid).data.filter((d) => d.key !== 'thing2'),
        ...extra.data,
      ];
    }
    const res = await gw.query(SEND_SUBSCRIBE, { variables: { input, app: 'miniprogram' } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, wechat: { errcode } });
    expect(gw.emulator.sentMessages()).toEqual([]);
  });

  it('mini program options on an official account → BAD_USER_INPUT before any call', async () => {
    const { gw } = fx;
    const res = await gw.query(SEND_SUBSCRIBE, {
      variables: {
        input: {
          openid: follower(gw),
          templateId: OA_SUBSCRIBE_TEMPLATE,
          data: [{ key: 'thing1', value: 'x' }],
          lang: 'EN_US',
        },
      },
    });
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
  });
});
