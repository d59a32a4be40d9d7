/**
 * A parsed push (wechat-api-more.md §1.6) → one typed event and its de-duplication key. A known
 * kind whose own fields are missing or unreadable becomes UNKNOWN with every raw field: nothing
 * is dropped, and no non-null GraphQL field is ever left empty.
 */
import { MalformedPushError, type PushFields } from './parse.js';
import type { EventData, EventKind, NewEvent } from './types.js';

type Builder = (fields: PushFields) => EventData | undefined;

const text = (fields: PushFields, key: string): string | undefined => {
  const value = fields[key];
  return typeof value === 'string' ? value : undefined;
};
const optional = (fields: PushFields, key: string): string | null => text(fields, key) ?? null;
const nonEmpty = (fields: PushFields, key: string): string | undefined => {
  const value = text(fields, key);
  return value === undefined || value === '' ? undefined : value;
};
const decimal = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};
const integer = (fields: PushFields, key: string): number | null => {
  const value = decimal(text(fields, key));
  return value !== undefined && Number.isSafeInteger(value) ? value : null;
};

/** Every field present, or undefined (then the event is UNKNOWN). */
function all<T extends Record<string, unknown>>(data: T): T | undefined {
  return Object.values(data).some((value) => value === undefined) ? undefined : data;
}

/** The message id: `MsgId` on messages, `MsgID` (capital D) on job-finish events. */
const msgId = (fields: PushFields) => nonEmpty(fields, 'MsgId') ?? nonEmpty(fields, 'MsgID');

/** Subscribe-message events: one item or several, nested in XML or a top-level `List` in JSON. */
function listItems(fields: PushFields, wrapper: string): PushFields[] {
  const nested = fields[wrapper];
  const holder =
    typeof nested === 'object' && nested !== null && !Array.isArray(nested)
      ? (nested as PushFields)
      : fields;
  const list = holder['List'] ?? nested;
  const items = Array.isArray(list) ? list : [list];
  return items.filter(
    (item): item is PushFields => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
}

function decisions(fields: PushFields, wrapper: string): EventData | undefined {
  const items = listItems(fields, wrapper).map((item) =>
    all({
      templateId: nonEmpty(item, 'TemplateId'),
      status: nonEmpty(item, 'SubscribeStatusString'),
      popupScene: optional(item, 'PopupScene'),
    }),
  );
  return items.length > 0 && items.every(Boolean) ? { items } : undefined;
}

function sendResults(fields: PushFields): EventData | undefined {
  const items = listItems(fields, 'SubscribeMsgSentEvent').map((item) =>
    all({
      templateId: nonEmpty(item, 'TemplateId'),
      msgId: nonEmpty(item, 'MsgID') ?? nonEmpty(item, 'MsgId'),
      errorCode: integer(item, 'ErrorCode') ?? undefined,
      errorStatus: optional(item, 'ErrorStatus'),
    }),
  );
  return items.length > 0 && items.every(Boolean) ? { items } : undefined;
}

const QR_PREFIX = 'qrscene_';

const EVENT_BUILDERS: Record<string, [EventKind, Builder]> = {
  subscribe: [
    'FOLLOW',
    (f) => {
      const key = text(f, 'EventKey') ?? '';
      const viaQr = key.startsWith(QR_PREFIX);
      return {
        qrScene: viaQr ? key.slice(QR_PREFIX.length) : null,
        qrTicket: viaQr ? optional(f, 'Ticket') : null,
        eventKey: key === '' ? null : key,
      };
    },
  ],
  unsubscribe: ['UNFOLLOW', () => ({})],
  SCAN: ['SCAN', (f) => all({ scene: text(f, 'EventKey'), ticket: optional(f, 'Ticket') })],
  LOCATION: [
    'LOCATION_REPORT',
    (f) =>
      all({
        latitude: decimal(text(f, 'Latitude')),
        longitude: decimal(text(f, 'Longitude')),
        precision: decimal(text(f, 'Precision')) ?? null,
      }),
  ],
  CLICK: ['MENU_CLICK', (f) => all({ key: text(f, 'EventKey') })],
  VIEW: ['MENU_VIEW', (f) => all({ url: nonEmpty(f, 'EventKey'), menuId: optional(f, 'MenuId') })],
  TEMPLATESENDJOBFINISH: [
    'TEMPLATE_SEND_FINISHED',
    (f) => all({ msgId: msgId(f), status: nonEmpty(f, 'Status') }),
  ],
  MASSSENDJOBFINISH: [
    'MASS_SEND_FINISHED',
    (f) =>
      all({
        msgId: msgId(f),
        status: nonEmpty(f, 'Status'),
        totalCount: integer(f, 'TotalCount'),
        filterCount: integer(f, 'FilterCount'),
        sentCount: integer(f, 'SentCount'),
        errorCount: integer(f, 'ErrorCount'),
      }),
  ],
  subscribe_msg_popup_event: [
    'SUBSCRIBE_MESSAGE_POPUP',
    (f) => decisions(f, 'SubscribeMsgPopupEvent'),
  ],
  subscribe_msg_change_event: [
    'SUBSCRIBE_MESSAGE_CHANGE',
    (f) => decisions(f, 'SubscribeMsgChangeEvent'),
  ],
  subscribe_msg_sent_event: ['SUBSCRIBE_MESSAGE_SENT', sendResults],
};

const MESSAGE_BUILDERS: Record<string, [EventKind, Builder]> = {
  text: ['TEXT_MESSAGE', (f) => all({ msgId: msgId(f), content: text(f, 'Content') })],
  image: [
    'IMAGE_MESSAGE',
    (f) => all({ msgId: msgId(f), picUrl: optional(f, 'PicUrl'), mediaId: nonEmpty(f, 'MediaId') }),
  ],
  voice: [
    'VOICE_MESSAGE',
    (f) =>
      all({
        msgId: msgId(f),
        mediaId: nonEmpty(f, 'MediaId'),
        format: optional(f, 'Format'),
        recognition: optional(f, 'Recognition'),
      }),
  ],
  video: ['VIDEO_MESSAGE', (f) => video(f, false)],
  shortvideo: ['VIDEO_MESSAGE', (f) => video(f, true)],
  location: [
    'LOCATION_MESSAGE',
    (f) =>
      all({
        msgId: msgId(f),
        latitude: decimal(text(f, 'Location_X')),
        longitude: decimal(text(f, 'Location_Y')),
        scale: integer(f, 'Scale'),
        label: optional(f, 'Label'),
      }),
  ],
  link: [
    'LINK_MESSAGE',
    (f) =>
      all({
        msgId: msgId(f),
        title: optional(f, 'Title'),
        description: optional(f, 'Description'),
        url: nonEmpty(f, 'Url'),
      }),
  ],
};

function video(fields: PushFields, short: boolean): EventData | undefined {
  return all({
    msgId: msgId(fields),
    mediaId: nonEmpty(fields, 'MediaId'),
    thumbMediaId: optional(fields, 'ThumbMediaId'),
    short,
  });
}

function classify(fields: PushFields): { kind: EventKind; data: EventData } {
  const msgType = text(fields, 'MsgType') ?? '';
  const entry =
    msgType === 'event'
      ? EVENT_BUILDERS[text(fields, 'Event') ?? '']
      : Object.hasOwn(MESSAGE_BUILDERS, msgType)
        ? MESSAGE_BUILDERS[msgType]
        : undefined;
  const data = entry?.[1](fields);
  if (entry && data) return { kind: entry[0], data };
  return {
    kind: 'UNKNOWN',
    data: { msgType, event: optional(fields, 'Event'), fields },
  };
}

export interface NormalizedPush {
  event: NewEvent;
  /** Messages: their MsgId; events: sender, create time, event, key (and MsgID if any). */
  dedupeKey: string;
}

/**
 * Types one push. Throws MalformedPushError when it lacks what every push has (FromUserName,
 * CreateTime as unix seconds, MsgType): such a body is not from WeChat.
 */
export function normalizePush(fields: PushFields, app: string, receivedAt: Date): NormalizedPush {
  const openid = nonEmpty(fields, 'FromUserName');
  const createTime = decimal(text(fields, 'CreateTime'));
  const msgType = nonEmpty(fields, 'MsgType');
  if (openid === undefined || msgType === undefined || createTime === undefined) {
    throw new MalformedPushError('FromUserName, CreateTime or MsgType is missing');
  }
  if (!Number.isSafeInteger(createTime) || createTime < 0 || createTime > 1e11) {
    throw new MalformedPushError('CreateTime is not unix seconds');
  }
  const { kind, data } = classify(fields);
  const id = msgType === 'event' ? undefined : msgId(fields);
  const dedupeKey =
    id !== undefined
      ? `msg\u0000${id}`
      : [
          'evt',
          openid,
          createTime,
          text(fields, 'Event') ?? msgType,
          text(fields, 'EventKey') ?? '',
          msgId(fields) ?? '',
        ].join('\u0000');
  return {
    event: {
      kind,
      app,
      openid,
      createdAt: new Date(createTime * 1000).toISOString(),
      receivedAt: receivedAt.toISOString(),
      data,
    },
    dedupeKey,
  };
}
