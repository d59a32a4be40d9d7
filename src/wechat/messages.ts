/**
 * Template messages (official accounts) and subscribe messages (mini programs: subscribe/send;
 * official accounts: subscribe/bizsend), wechat-api-more.md §2–§3. Each is a send: the http
 * layer never repeats it after an unknown outcome (endpoints.ts).
 */
import type { WechatHttp } from './http.js';
import type { AccessTokenSource } from './types.js';
import { idString } from './wire.js';

export const TEMPLATE_SEND_API = '/cgi-bin/message/template/send';
export const SUBSCRIBE_SEND_API = '/cgi-bin/message/subscribe/send';
export const SUBSCRIBE_BIZSEND_API = '/cgi-bin/message/subscribe/bizsend';

export interface MiniProgramLink {
  appId: string;
  pagePath: string;
}

export interface TemplateMessage {
  openid: string;
  templateId: string;
  url?: string;
  miniProgram?: MiniProgramLink;
  data: readonly { key: string; value: string }[];
  /** WeChat's de-duplication id: one message per openid and id for about 10 minutes. */
  clientMsgId?: string;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  data: readonly { key: string; value: string }[];
  /** Mini program: a page of it, may carry `?query`. Official account: a web URL. */
  page?: string;
  /** Official account only: open a page of a linked mini program. */
  miniProgram?: MiniProgramLink;
  /** Mini program only: `developer`, `trial` or `formal`. */
  miniProgramState?: string;
  /** Mini program only: `zh_CN`, `en_US`, `zh_HK`, `zh_TW`. */
  lang?: string;
}

/** msgid as a decimal string (64-bit: it never passes through a JS number), or null. */
export interface SentMessageId {
  msgId: string | null;
}

interface RawSent {
  msgid?: unknown;
}

const dataObject = (data: TemplateMessage['data']) =>
  Object.fromEntries(data.map(({ key, value }) => [key, { value }]));

export interface MessagesApi {
  sendTemplate(message: TemplateMessage): Promise<SentMessageId>;
  sendSubscribe(
    kind: 'official' | 'miniprogram',
    message: SubscribeMessage,
  ): Promise<SentMessageId>;
}

export function createMessagesApi(http: WechatHttp, tokens: AccessTokenSource): MessagesApi {
  const post = (api: string, body: object) =>
    tokens.withAccessToken((accessToken) =>
      http.postJson<RawSent>(api, { access_token: accessToken }, body),
    );
  return {
    async sendTemplate(message) {
      const body = {
        touser: message.openid,
        template_id: message.templateId,
        ...(message.url === undefined ? {} : { url: message.url }),
        ...(message.miniProgram === undefined
          ? {}
          : {
              miniprogram: {
                appid: message.miniProgram.appId,
                pagepath: message.miniProgram.pagePath,
              },
            }),
        data: dataObject(message.data),
        ...(message.clientMsgId === undefined ? {} : { client_msg_id: message.clientMsgId }),
      };
      const sent = await post(TEMPLATE_SEND_API, body);
      return { msgId: idString(sent.msgid) ?? null };
    },
    async sendSubscribe(kind, message) {
      const common = {
        touser: message.openid,
        template_id: message.templateId,
        data: dataObject(message.data),
        ...(message.page === undefined ? {} : { page: message.page }),
      };
      const body =
        kind === 'miniprogram'
          ? {
              ...common,
              ...(message.miniProgramState === undefined
                ? {}
                : { miniprogram_state: message.miniProgramState }),
              ...(message.lang === undefined ? {} : { lang: message.lang }),
            }
          : {
              ...common,
              ...(message.miniProgram === undefined
                ? {}
                : {
                    miniprogram: {
                      appid: message.miniProgram.appId,
                      pagepath: message.miniProgram.pagePath,
                    },
                  }),
            };
      const api = kind === 'miniprogram' ? SUBSCRIBE_SEND_API : SUBSCRIBE_BIZSEND_API;
      const sent = await post(api, body);
      return { msgId: idString(sent.msgid) ?? null };
    },
  };
}
