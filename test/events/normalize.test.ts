/**
 * Every kind of push of wechat-api-more.md §1.6, in XML and JSON, typed with its own fields; the
 * subscribe-message shapes (nested XML lists, JSON's top-level List as one object or several);
 * 64-bit ids exact from JSON numbers; unreadable known kinds kept as UNKNOWN; de-dup keys.
 */
import { describe, expect, it } from 'vitest';
import { normalizePush } from '../../src/events/normalize.js';
import { MalformedPushError, parsePush } from '../../src/events/parse.js';
import { toXml } from '../../src/emulator/push-wire.js';

const RECEIVED = new Date('2026-01-15T02:00:05.000Z');
const HEAD = { ToUserName: 'gh_1', FromUserName: 'oUser1', CreateTime: 1768442400 };
const typed = (message: Record<string, unknown>, format: 'xml' | 'json' = 'xml') => {
  const text = format === 'xml' ? toXml(message) : JSON.stringify(message);
  const { event } = normalizePush(parsePush(text), 'official', RECEIVED);
  return { kind: event.kind, data: event.data };
};
const evt = (name: string, extra: Record<string, unknown> = {}) => ({
  ...HEAD,
  MsgType: 'event',
  Event: name,
  ...extra,
});
const msg = (type: string, extra: Record<string, unknown>) => ({
  ...HEAD,
  MsgType: type,
  MsgId: '24000000000000001',
  ...extra,
});

describe('typing pushes', () => {
  it.each([
    [
      evt('subscribe', { EventKey: '' }),
      'FOLLOW',
      { qrScene: null, qrTicket: null, eventKey: null },
    ],
    [
      evt('subscribe', { EventKey: 'qrscene_123', Ticket: 'T' }),
      'FOLLOW',
      { qrScene: '123', qrTicket: 'T', eventKey: 'qrscene_123' },
    ],
    [evt('unsubscribe'), 'UNFOLLOW', {}],
    [evt('SCAN', { EventKey: '123', Ticket: 'T' }), 'SCAN', { scene: '123', ticket: 'T' }],
    [
      evt('LOCATION', { Latitude: '23.137466', Longitude: '113.352425', Precision: '119.385040' }),
      'LOCATION_REPORT',
      { latitude: 23.137466, longitude: 113.352425, precision: 119.38504 },
    ],
    [evt('CLICK', { EventKey: 'V1001' }), 'MENU_CLICK', { key: 'V1001' }],
    [
      evt('VIEW', { EventKey: 'https://x.example/', MenuId: '3' }),
      'MENU_VIEW',
      { url: 'https://x.example/', menuId: '3' },
    ],
    [
      evt('TEMPLATESENDJOBFINISH', { MsgID: '200163836', Status: 'failed:user block' }),
      'TEMPLATE_SEND_FINISHED',
      { msgId: '200163836', status: 'failed:user block' },
    ],
    [
      evt('MASSSENDJOBFINISH', {
        MsgID: '1000001625',
        Status: 'err(30003)',
        TotalCount: 100,
        FilterCount: 80,
        SentCount: 75,
        ErrorCount: 5,
      }),
      'MASS_SEND_FINISHED',
      {
        msgId: '1000001625',
        status: 'err(30003)',
        totalCount: 100,
        filterCount: 80,
        sentCount: 75,
        errorCount: 5,
      },
    ],
    [
      msg('text', { Content: '你好' }),
      'TEXT_MESSAGE',
      { msgId: '24000000000000001', content: '你好' },
    ],
    [
      msg('image', { PicUrl: 'http://p', MediaId: 'm' }),
      'IMAGE_MESSAGE',
      { msgId: '24000000000000001', picUrl: 'http://p', mediaId: 'm' },
    ],
    [
      msg('voice', { MediaId: 'm', Format: 'amr' }),
      'VOICE_MESSAGE',
      { msgId: '24000000000000001', mediaId: 'm', format: 'amr', recognition: null },
    ],
    [
      msg('shortvideo', { MediaId: 'm', ThumbMediaId: 't' }),
      'VIDEO_MESSAGE',
      { msgId: '24000000000000001', mediaId: 'm', thumbMediaId: 't', short: true },
    ],
    [
      msg('location', { Location_X: '23.1', Location_Y: '113.3', Scale: '20', Label: 'here' }),
      'LOCATION_MESSAGE',
      { msgId: '24000000000000001', latitude: 23.1, longitude: 113.3, scale: 20, label: 'here' },
    ],
    [
      msg('link', { Title: 't', Description: 'd', Url: 'https://l' }),
      'LINK_MESSAGE',
      { msgId: '24000000000000001', title: 't', description: 'd', url: 'https://l' },
    ],
  ] as const)('%# %j → %s', (message, kind, data) => {
    expect(typed(message)).toEqual({ kind, data });
    expect(typed(message, 'json')).toEqual({ kind, data });
  });

  it('reads subscribe-message events nested in XML and as a top-level List in JSON', () => {
    const item = (id: string, status: string) => ({
      TemplateId: id,
      SubscribeStatusString: status,
      PopupScene: '2',
    });
    const xml = typed(
      evt('subscribe_msg_popup_event', {
        SubscribeMsgPopupEvent: { List: [item('t1', 'accept'), item('t2', 'reject')] },
      }),
    );
    expect(xml).toEqual({
      kind: 'SUBSCRIBE_MESSAGE_POPUP',
      data: {
        items: [
          { templateId: 't1', status: 'accept', popupScene: '2' },
          { templateId: 't2', status: 'reject', popupScene: '2' },
        ],
      },
    });
    const one = typed(
      evt('subscribe_msg_change_event', {
        List: { TemplateId: 't1', SubscribeStatusString: 'reject' },
      }),
      'json',
    );
    expect(one).toEqual({
      kind: 'SUBSCRIBE_MESSAGE_CHANGE',
      data: { items: [{ templateId: 't1', status: 'reject', popupScene: null }] },
    });
    const sent = typed(
      evt('subscribe_msg_sent_event', {
        List: [
          { TemplateId: 't1', MsgID: '1700827132819554304', ErrorCode: 0, ErrorStatus: 'success' },
        ],
      }),
      'json',
    );
    expect(sent).toEqual({
      kind: 'SUBSCRIBE_MESSAGE_SENT',
      data: {
        items: [
          { templateId: 't1', msgId: '1700827132819554304', errorCode: 0, errorStatus: 'success' },
        ],
      },
    });
  });

  it('keeps 64-bit ids exact when JSON sends them as numbers', () => {
    const text =
      '{"ToUserName":"gh_1","FromUserName":"oUser1","CreateTime":1768442400,"MsgType":"text","Content":"x 12345678901234567","MsgId":24000000000000001}';
    const { event, dedupeKey } = normalizePush(parsePush(text), 'official', RECEIVED);
    expect(event.data).toEqual({ msgId: '24000000000000001', content: 'x 12345678901234567' });
    expect(dedupeKey).toBe('msg\u000024000000000000001');
    expect(event.createdAt).toBe('2026-01-15T02:00:00.000Z');
  });

  it('keeps a known kind with unreadable fields, and unknown kinds, as UNKNOWN with every field', () => {
    expect(typed(evt('LOCATION', { Latitude: 'north' }))).toEqual({
      kind: 'UNKNOWN',
      data: {
        msgType: 'event',
        event: 'LOCATION',
        fields: { ...stringy(evt('LOCATION', { Latitude: 'north' })) },
      },
    });
    expect(typed(msg('miniprogrampage', { Title: 'x' }))).toMatchObject({
      kind: 'UNKNOWN',
      data: { msgType: 'miniprogrampage', event: null },
    });
  });

  it('keys events by sender, time, event and key, so two taps in one second stay two', () => {
    const key = (message: Record<string, unknown>) =>
      normalizePush(parsePush(toXml(message)), 'a', RECEIVED).dedupeKey;
    expect(key(evt('CLICK', { EventKey: 'A' }))).not.toBe(key(evt('CLICK', { EventKey: 'B' })));
    expect(key(evt('CLICK', { EventKey: 'A' }))).toBe(key(evt('CLICK', { EventKey: 'A' })));
  });

  it('refuses what is not a push', () => {
    expect(() =>
      normalizePush(parsePush('<xml><MsgType>text</MsgType></xml>'), 'a', RECEIVED),
    ).toThrow(MalformedPushError);
    expect(() =>
      normalizePush(
        parsePush(toXml({ ...HEAD, CreateTime: 'soon', MsgType: 'text' })),
        'a',
        RECEIVED,
      ),
    ).toThrow(MalformedPushError);
    expect(() =>
      parsePush('<xml>' + '<a>'.repeat(12) + 'x' + '</a>'.repeat(12) + '</xml>'),
    ).toThrow(MalformedPushError);
  });
});

function stringy(message: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(message).map(([k, v]) => [k, String(v)]));
}
