/**
 * The gateway's events: the one table of kinds (GraphQL enum value → GraphQL type), and the shape
 * kept in the event log. Stored events are flat: the type's own fields sit next to the common
 * ones under their GraphQL names, so the GraphQL layer reads them as they are.
 */

export const EVENT_TYPENAMES = {
  FOLLOW: 'FollowEvent',
  UNFOLLOW: 'UnfollowEvent',
  SCAN: 'ScanEvent',
  LOCATION_REPORT: 'LocationReportEvent',
  MENU_CLICK: 'MenuClickEvent',
  MENU_VIEW: 'MenuViewEvent',
  TEMPLATE_SEND_FINISHED: 'TemplateSendFinishedEvent',
  MASS_SEND_FINISHED: 'MassSendFinishedEvent',
  SUBSCRIBE_MESSAGE_POPUP: 'SubscribeMessagePopupEvent',
  SUBSCRIBE_MESSAGE_CHANGE: 'SubscribeMessageChangeEvent',
  SUBSCRIBE_MESSAGE_SENT: 'SubscribeMessageSentEvent',
  TEXT_MESSAGE: 'TextMessage',
  IMAGE_MESSAGE: 'ImageMessage',
  VOICE_MESSAGE: 'VoiceMessage',
  VIDEO_MESSAGE: 'VideoMessage',
  LOCATION_MESSAGE: 'LocationMessage',
  LINK_MESSAGE: 'LinkMessage',
  UNKNOWN: 'UnknownWechatEvent',
} as const;

/** The GraphQL enum `WechatEventType`. */
export type EventKind = keyof typeof EVENT_TYPENAMES;

export const EVENT_KINDS = Object.keys(EVENT_TYPENAMES) as EventKind[];

/** A type's own fields, under their GraphQL names (strings, numbers, booleans, lists, null). */
export type EventData = Record<string, unknown>;

/** An accepted event before the log gave it its id. */
export interface NewEvent {
  readonly kind: EventKind;
  /** The app's name in this gateway. */
  readonly app: string;
  readonly openid: string;
  /** ISO 8601, from the push's CreateTime. */
  readonly createdAt: string;
  /** ISO 8601, when this gateway accepted it. */
  readonly receivedAt: string;
  readonly data: EventData;
}

/** An event as the log keeps it: `id` orders the app's log and is what `after` takes. */
export interface WechatEventRecord extends NewEvent {
  readonly id: string;
}

/**
 * What GraphQL resolvers see (codegen mapper of every event type): the record with its data
 * spread beside the common fields.
 */
export type WechatEventSource = Omit<WechatEventRecord, 'data'> & EventData;

// Subscribers of one instance share each record: it is flattened once, not once per subscriber.
const sources = new WeakMap<WechatEventRecord, WechatEventSource>();

export function toEventSource(record: WechatEventRecord): WechatEventSource {
  let source = sources.get(record);
  if (!source) {
    const { data, ...common } = record;
    source = { ...data, ...common };
    sources.set(record, source);
  }
  return source;
}

/**
 * Users of an app changed by a mutation (a remark, a tag put on or taken off, a tag deleted):
 * announced to every instance so their caches drop those users. Not logged, not an event.
 */
export interface UserNote {
  /** The app's name in this gateway. */
  readonly app: string;
  readonly openids?: readonly string[];
  /** A deleted tag: the users carrying it changed. */
  readonly tagId?: number;
}

/** The user a follow or unfollow is about; caches of that user are dropped on every instance. */
export interface UserChange {
  readonly app: string;
  readonly openid: string;
  readonly subscribed: boolean;
}
