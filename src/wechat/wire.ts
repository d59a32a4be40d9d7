/**
 * Reading WeChat's answers: JSON that may hold 64-bit ids, the errcode envelope, and the binary
 * answers of the image endpoints (wechat-api-more.md §0).
 */
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { isRecord } from '../shared/json.js';
import { UpstreamUnavailableError, WechatApiError } from './errors.js';

const RID_PATTERN = /\brid:\s*([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})/i;

/** The request id WeChat appends to errmsg (`... rid: 66b5fb8f-5e3c0071-3d7f539a`), if any. */
export function parseRid(errmsg: string): string | undefined {
  return RID_PATTERN.exec(errmsg)?.[1];
}

/** 16 digits in a row: the text may hold an integer beyond 2^53 (a message id). */
const LONG_DIGITS = /\d{16}/;

/** Integers beyond 2^53 stay strings; every other number is parsed as usual. */
const losslessNumber = (value: string): number | string =>
  isInteger(value) && !isSafeNumber(value) ? value : Number(value);

/**
 * JSON.parse, except that integers JSON.parse would round (msgid 271781022721654784 became
 * …800 in co-wechat-api #89) come back as their exact decimal strings. The common answer without
 * 16 digits in a row takes JSON.parse's fast path.
 */
export function parseWechatJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return parseLossless(text, null, losslessNumber);
}

/** An id WeChat sends as a number (maybe 64-bit, then already a string) or a string. */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/**
 * The body as WeChat's envelope: an object whose errcode, when present and not 0, becomes a
 * WechatApiError. Anything else is a bad response.
 */
export function readEnvelope(
  api: string,
  statusCode: number,
  contentType: string,
  text: string,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseWechatJson(text);
  } catch {
    throw new UpstreamUnavailableError(
      api,
      'bad-response',
      `HTTP ${statusCode}, ${contentType}, ${text.length} bytes that are not JSON`,
    );
  }
  if (!isRecord(parsed)) {
    throw new UpstreamUnavailableError(
      api,
      'bad-response',
      `HTTP ${statusCode}, JSON that is not an object`,
    );
  }
  if (parsed.errcode !== undefined && parsed.errcode !== null) {
    const errcode = Number(parsed.errcode);
    if (!Number.isInteger(errcode)) {
      throw new UpstreamUnavailableError(api, 'bad-response', 'errcode is not a number');
    }
    if (errcode !== 0) {
      const errmsg = typeof parsed.errmsg === 'string' ? parsed.errmsg : '';
      const msgId = idString(parsed.msg_id) ?? idString(parsed.msgid);
      throw new WechatApiError(api, errcode, errmsg, parseRid(errmsg), msgId);
    }
  }
  if (statusCode < 200 || statusCode >= 300) {
    throw new UpstreamUnavailableError(api, 'bad-response', `HTTP ${statusCode} without errcode`);
  }
  return parsed;
}

/** An image as WeChat sent it, typed by its bytes (WeChat labels PNGs image/jpeg). */
export interface UpstreamImage {
  /** `image/png` or `image/jpeg`, read from the bytes' signature. */
  readonly contentType: 'image/png' | 'image/jpeg';
  readonly bytes: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

export function sniffImageType(bytes: Buffer): UpstreamImage['contentType'] | undefined {
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

/** `application/json; encoding=utf-8` and `text/plain` carry errors; anything else is the image. */
export function isJsonLike(contentType: string): boolean {
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || media === 'text/plain' || media === 'none';
}
