/**
 * The pushes WeChat sends (wechat-api-more.md §1.6), field for field: what the emulator pushes
 * and what tests post. `to` is the account's gh_ id, `createTime` unix seconds; 64-bit ids are
 * strings, as on the wire.
 */
import type { PushMessage } from './push-wire.js';

export interface PushHeader {
  to: string;
  openid: string;
  createTime: number;
}

const header = (h: PushHeader, msgType: string): PushMessage => ({
  ToUserName: h.to,
  FromUserName: h.openid,
  CreateTime: h.createTime,
  MsgType: msgType,
});

const event = (h: PushHeader, name: string, extra: PushMessage = {}): PushMessage => ({
  ...header(h, 'event'),
  Event: name,
  ...extra,
});

export const pushMessages = {
  /** A follow; through a parametric QR code when `scene` is given. */
  follow: (h: PushHeader, qr?: { scene: string; ticket: string }) =>
    event(
      h,
      'subscribe',
      qr ? { EventKey: `qrscene_${qr.scene}`, Ticket: qr.ticket } : { EventKey: '' },
    ),
  unfollow: (h: PushHeader) => event(h, 'unsubscribe', { EventKey: '' }),
  scan: (h: PushHeader, scene: string, ticket: string) =>
    event(h, 'SCAN', { EventKey: scene, Ticket: ticket }),
  locationReport: (h: PushHeader, latitude: number, longitude: number, precision: number) =>
    event(h, 'LOCATION', { Latitude: latitude, Longitude: longitude, Precision: precision }),
  menuClick: (h: PushHeader, key: string) => event(h, 'CLICK', { EventKey: key }),
  menuView: (h: PushHeader, url: string, menuId?: string) =>
    event(h, 'VIEW', { EventKey: url, ...(menuId === undefined ? {} : { MenuId: menuId }) }),
  templateSendFinished: (h: PushHeader, msgId: string, status: string) =>
    event(h, 'TEMPLATESENDJOBFINISH', { MsgID: msgId, Status: status }),
  massSendFinished: (h: PushHeader, msgId: string, counts: Record<string, number>) =>
    event(h, 'MASSSENDJOBFINISH', {
      MsgID: msgId,
      Status: 'send success',
      TotalCount: counts['total'] ?? 0,
      FilterCount: counts['filter'] ?? 0,
      SentCount: counts['sent'] ?? 0,
      ErrorCount: counts['error'] ?? 0,
    }),
  text: (h: PushHeader, content: string, msgId: string) =>
    ({ ...header(h, 'text'), Content: content, MsgId: msgId }) as PushMessage,
  image: (h: PushHeader, mediaId: string, msgId: string) =>
    ({
      ...header(h, 'image'),
      PicUrl: `https://mmbiz.qpic.cn/${mediaId}`,
      MediaId: mediaId,
      MsgId: msgId,
    }) as PushMessage,
  location: (h: PushHeader, latitude: number, longitude: number, label: string, msgId: string) =>
    ({
      ...header(h, 'location'),
      Location_X: latitude,
      Location_Y: longitude,
      Scale: 15,
      Label: label,
      MsgId: msgId,
    }) as PushMessage,
};
