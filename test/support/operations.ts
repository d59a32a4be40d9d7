/**
 * Ready operations for the message, code, phone and tag fields, with values the emulator accepts,
 * so tests can name what they change. Each builder takes the gateway (for openids, templates).
 */
import type { Gateway } from './harness.js';

export const TEMPLATE_ID = 'tmplOrderShipped0000000000000000000000000001';
export const OA_SUBSCRIBE_TEMPLATE = 'subsOaAppointment000000000000000000000000003';
export const MP_SUBSCRIBE_TEMPLATE = 'subsMpOrderStatus0000000000000000000000000004';
export const NEWS_MEDIA = 'mediaNews_3articles_0000000000000000000000001';

export const follower = (gw: Gateway, index = 0): string =>
  gw.emulator.followerOpenids(gw.official.appId)[index] ?? '';

export const SEND_TEMPLATE = `mutation ($input: SendTemplateMessageInput!, $app: String) {
  sendTemplateMessage(input: $input, app: $app) { msgId }
}`;

export function templateInput(gw: Gateway, extra: Record<string, unknown> = {}) {
  return {
    openid: follower(gw),
    templateId: TEMPLATE_ID,
    data: [
      { key: 'keyword1', value: 'SF1234567890' },
      { key: 'keyword2', value: '已发货' },
    ],
    ...extra,
  };
}

export const SEND_SUBSCRIBE = `mutation ($input: SendSubscribeMessageInput!, $app: String) {
  sendSubscribeMessage(input: $input, app: $app) { msgId }
}`;

/** A mini program user with `consents` consents for MP_SUBSCRIBE_TEMPLATE. */
export function miniUserWithConsent(gw: Gateway, consents = 1): string {
  const { openid } = gw.emulator.mintJsCode(gw.mini.appId);
  if (consents > 0) {
    gw.emulator.grantSubscribeConsent(gw.mini.appId, {
      openid,
      templateId: MP_SUBSCRIBE_TEMPLATE,
      count: consents,
    });
  }
  return openid;
}

export function miniSubscribeInput(openid: string, extra: Record<string, unknown> = {}) {
  return {
    openid,
    templateId: MP_SUBSCRIBE_TEMPLATE,
    page: 'pages/order/detail?id=42',
    data: [
      { key: 'character_string1', value: 'A20260115001' },
      { key: 'thing2', value: '已发货' },
      { key: 'amount3', value: '¥99.00' },
      { key: 'time4', value: '2026-01-15 10:30' },
    ],
    ...extra,
  };
}

export const MASS_SEND = `mutation ($input: MassSendInput!) {
  massSend(input: $input) { msgId msgDataId }
}`;

export function massInput(clientMsgId: string, extra: Record<string, unknown> = {}) {
  return {
    audience: { toAll: true },
    message: { type: 'TEXT', text: '新品上架' },
    clientMsgId,
    ...extra,
  };
}
