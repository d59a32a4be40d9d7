/**
 * The message of a mass send or preview: `msgtype` and its payload (§4), checked against the
 * account's media library.
 */
import { OFFICIAL_MEDIA, type EmulatedMedia } from './catalogue.js';
import { isRecord } from './protocol.js';

export interface MassContent {
  readonly msgType: string;
  /** The media it shows, if any (mpnews: the articles mass/delete may remove). */
  readonly media: EmulatedMedia | undefined;
  /** The text of a text message, or media id(s): what the send log shows. */
  readonly summary: Readonly<Record<string, string>>;
  /** Same audience + same digest within 24 h is one job when no clientmsgid is given. */
  readonly digest: string;
}

export type ContentCheck = { ok: true; content: MassContent } | { ok: false; errcode: number };

const mediaOf = (id: unknown, type: EmulatedMedia['type']): EmulatedMedia | undefined =>
  OFFICIAL_MEDIA.find((media) => media.mediaId === id && media.type === type);

/** `image` uses `images.media_ids[]` in the current doc, `image.media_id` in older SDKs: both. */
function imageIds(body: Readonly<Record<string, unknown>>): unknown[] {
  if (isRecord(body.images) && Array.isArray(body.images.media_ids)) return body.images.media_ids;
  if (isRecord(body.image)) return [body.image.media_id];
  return [];
}

export function readMassContent(body: Readonly<Record<string, unknown>>): ContentCheck {
  const msgType = body.msgtype;
  if (msgType === 'text') {
    const content = isRecord(body.text) ? body.text.content : undefined;
    if (typeof content !== 'string' || content === '') return { ok: false, errcode: 47001 };
    return {
      ok: true,
      content: { msgType, media: undefined, summary: { content }, digest: `text:${content}` },
    };
  }
  if (msgType === 'image') {
    const ids = imageIds(body);
    if (ids.length === 0 || ids.some((id) => !mediaOf(id, 'image'))) {
      return { ok: false, errcode: 40007 };
    }
    const joined = ids.map(String).join(',');
    return {
      ok: true,
      content: {
        msgType,
        media: mediaOf(ids[0], 'image'),
        summary: { media_ids: joined },
        digest: `image:${joined}`,
      },
    };
  }
  if (msgType === 'mpnews' || msgType === 'voice' || msgType === 'mpvideo') {
    const payload = body[msgType];
    const media = mediaOf(isRecord(payload) ? payload.media_id : undefined, msgType);
    if (!media) return { ok: false, errcode: 40007 };
    return {
      ok: true,
      content: {
        msgType,
        media,
        summary: { media_id: media.mediaId },
        digest: `${msgType}:${media.mediaId}`,
      },
    };
  }
  if (msgType === 'wxcard') {
    const cardId = isRecord(body.wxcard) ? body.wxcard.card_id : undefined;
    if (typeof cardId !== 'string' || cardId === '') return { ok: false, errcode: 47001 };
    return {
      ok: true,
      content: {
        msgType,
        media: undefined,
        summary: { card_id: cardId },
        digest: `wxcard:${cardId}`,
      },
    };
  }
  return { ok: false, errcode: 47001 };
}
