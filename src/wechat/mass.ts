/** Mass messages (群发, wechat-api-more.md §4): send, preview, status, delete. */
import { UpstreamUnavailableError } from './errors.js';
import type { WechatHttp } from './http.js';
import type { AccessTokenSource } from './types.js';
import { idString } from './wire.js';

export const MASS_SENDALL_API = '/cgi-bin/message/mass/sendall';
export const MASS_SEND_API = '/cgi-bin/message/mass/send';
export const MASS_PREVIEW_API = '/cgi-bin/message/mass/preview';
export const MASS_GET_API = '/cgi-bin/message/mass/get';
export const MASS_DELETE_API = '/cgi-bin/message/mass/delete';

export type MassMessageType = 'text' | 'image' | 'voice' | 'mpnews' | 'mpvideo';

export interface MassMessage {
  type: MassMessageType;
  /** text only. */
  text?: string;
  /** Every other type: the id of the uploaded media. */
  mediaId?: string;
}

export type MassAudience = { toAll: true } | { tagId: number } | { openids: readonly string[] };

export interface MassJob {
  msgId: string;
  /** mpnews only. */
  msgDataId: string | null;
}

export type MassStatus = 'SENDING' | 'SEND_SUCCESS' | 'SEND_FAIL' | 'DELETE';

interface RawMassSent {
  msg_id?: unknown;
  msg_data_id?: unknown;
}

/** The payload under the type's name; image uses the current `images.media_ids` shape. */
function payload(message: MassMessage): Record<string, unknown> {
  const { type } = message;
  if (type === 'text') return { msgtype: type, text: { content: message.text } };
  if (type === 'image') return { msgtype: type, images: { media_ids: [message.mediaId] } };
  return { msgtype: type, [type]: { media_id: message.mediaId } };
}

export interface MassApi {
  send(
    audience: MassAudience,
    message: MassMessage,
    options: { clientMsgId: string; sendIgnoreReprint: boolean },
  ): Promise<MassJob>;
  preview(
    to: { openid: string } | { wxName: string },
    message: MassMessage,
  ): Promise<{ msgId: string | null }>;
  status(msgId: string): Promise<{ msgId: string; status: string }>;
  /** `articleIndex` 1-based; 0 deletes every article. */
  delete(msgId: string, articleIndex: number): Promise<void>;
}

export function createMassApi(http: WechatHttp, tokens: AccessTokenSource): MassApi {
  const post = <T>(api: string, body: object) =>
    tokens.withAccessToken((accessToken) =>
      http.postJson<T>(api, { access_token: accessToken }, body),
    );
  return {
    async send(audience, message, options) {
      const common = {
        ...payload(message),
        send_ignore_reprint: options.sendIgnoreReprint ? 1 : 0,
        clientmsgid: options.clientMsgId,
      };
      const [api, body] =
        'openids' in audience
          ? [MASS_SEND_API, { touser: audience.openids, ...common }]
          : [
              MASS_SENDALL_API,
              {
                filter:
                  'toAll' in audience
                    ? { is_to_all: true }
                    : { is_to_all: false, tag_id: audience.tagId },
                ...common,
              },
            ];
      const sent = await post<RawMassSent>(api, body);
      const msgId = idString(sent.msg_id);
      if (msgId === undefined) {
        throw new UpstreamUnavailableError(api, 'bad-response', 'answer without msg_id');
      }
      return { msgId, msgDataId: idString(sent.msg_data_id) ?? null };
    },
    async preview(to, message) {
      const target = 'openid' in to ? { touser: to.openid } : { towxname: to.wxName };
      const sent = await post<RawMassSent>(MASS_PREVIEW_API, { ...target, ...payload(message) });
      return { msgId: idString(sent.msg_id) ?? null };
    },
    async status(msgId) {
      const raw = await post<{ msg_id?: unknown; msg_status?: unknown }>(MASS_GET_API, {
        msg_id: msgId,
      });
      if (typeof raw.msg_status !== 'string') {
        throw new UpstreamUnavailableError(
          MASS_GET_API,
          'bad-response',
          'answer without msg_status',
        );
      }
      return { msgId: idString(raw.msg_id) ?? msgId, status: raw.msg_status };
    },
    async delete(msgId, articleIndex) {
      await post(MASS_DELETE_API, { msg_id: msgId, article_idx: articleIndex });
    },
  };
}
