/**
 * What an emulated account has set up in WeChat's console: message templates, uploaded media and
 * the mini program's published pages. Fixed, so tests and GraphiQL examples can name them.
 */

export type ValueType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'car_number'
  | 'name'
  | 'phrase'
  | 'keyword';

export interface EmulatedTemplate {
  readonly templateId: string;
  /** 'template': 模板消息 (official accounts); 'subscribe': 订阅消息 / 订阅通知 (one-time). */
  readonly kind: 'template' | 'subscribe';
  readonly title: string;
  /** The data keys the template shows, with the value rules of subscribe messages. */
  readonly keys: Readonly<Record<string, ValueType>>;
}

// prettier-ignore
const OFFICIAL_TEMPLATES: readonly EmulatedTemplate[] = [
  { templateId: 'tmplOrderShipped0000000000000000000000000001', kind: 'template', title: '订单发货通知', keys: { first: 'keyword', keyword1: 'keyword', keyword2: 'keyword', remark: 'keyword' } },
  { templateId: 'tmplPaymentOk00000000000000000000000000000002', kind: 'template', title: '支付成功通知', keys: { character_string1: 'keyword', amount2: 'keyword', time3: 'keyword' } },
  { templateId: 'subsOaAppointment000000000000000000000000003', kind: 'subscribe', title: '预约提醒', keys: { thing1: 'thing', time2: 'time', phrase3: 'phrase' } },
];

// prettier-ignore
const MINI_PROGRAM_TEMPLATES: readonly EmulatedTemplate[] = [
  { templateId: 'subsMpOrderStatus0000000000000000000000000004', kind: 'subscribe', title: '订单状态通知', keys: { character_string1: 'character_string', thing2: 'thing', amount3: 'amount', time4: 'time' } },
  { templateId: 'subsMpDelivery00000000000000000000000000000005', kind: 'subscribe', title: '配送提醒', keys: { thing1: 'thing', phone_number2: 'phone_number', date3: 'date' } },
];

export function templatesOf(kind: 'official' | 'miniprogram'): readonly EmulatedTemplate[] {
  return kind === 'official' ? OFFICIAL_TEMPLATES : MINI_PROGRAM_TEMPLATES;
}

/** Media uploaded to the official account's library, by mass-send type. */
export interface EmulatedMedia {
  readonly mediaId: string;
  readonly type: 'mpnews' | 'image' | 'voice' | 'mpvideo';
  /** mpnews: how many articles the news holds (mass/delete's article_idx is 1-based). */
  readonly articles: number;
}

// prettier-ignore
export const OFFICIAL_MEDIA: readonly EmulatedMedia[] = [
  { mediaId: 'mediaNews_3articles_0000000000000000000000001', type: 'mpnews', articles: 3 },
  { mediaId: 'mediaImage_000000000000000000000000000000002', type: 'image', articles: 0 },
  { mediaId: 'mediaVoice_000000000000000000000000000000003', type: 'voice', articles: 0 },
  { mediaId: 'mediaVideo_000000000000000000000000000000004', type: 'mpvideo', articles: 0 },
];

/** The emulated mini program's published pages (no leading '/', no query). */
export const MINI_PROGRAM_PAGES: readonly string[] = [
  'pages/index/index',
  'pages/order/detail',
  'pages/promo/landing',
];

/** The page without its `?query`, or undefined when it has a leading '/' or is empty. */
export function pagePath(page: string): string | undefined {
  const path = page.split('?')[0] ?? '';
  return path === '' || path.startsWith('/') ? undefined : path;
}
