import { parseJsonObject as parseRecord } from '../shared/json.js';
import { errmsgFor } from './errmsg.js';

/** The JSON object guard, for the routes that import it from here. */
export { isRecord } from '../shared/json.js';

/** What a handler sees of an HTTP request: everything is already read and decoded. */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Raw body text ('' for none). */
  readonly body: string;
  /** Media type without parameters, lower case ('' when absent), e.g. 'application/json'. */
  readonly contentType: string;
  /** How the caller reached the emulator, e.g. http://127.0.0.1:41234 (avatar URLs are on it). */
  readonly origin?: string;
}

/** A page for the browser (open.weixin.qq.com's authorize page), sent as it is. */
export interface Page {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A handler's answer; the server turns it into WeChat's wire format (HTTP 200, rid suffix), except
 * a page, which browser-facing endpoints answer and which is sent as it is.
 */
export type Reply =
  | { readonly ok: true; readonly body: object; readonly image?: ImageBody }
  | { readonly ok: true; readonly page: Page }
  | {
      readonly ok: false;
      readonly errcode: number;
      readonly errmsg: string;
      /** Fields WeChat puts next to the errcode (45065's msg_id). */
      readonly extra?: object;
    };

/** Bytes sent as they are, labelled as WeChat labels them (not necessarily their real type). */
export interface ImageBody {
  readonly bytes: Buffer;
  readonly contentType: string;
  /** HTTP status; default 200. */
  readonly status?: number;
}

export function ok(body: object): Reply {
  return { ok: true, body };
}

export function image(bytes: Buffer, contentType: string, status = 200): Reply {
  return { ok: true, body: {}, image: { bytes, contentType, status } };
}

const INT64_MARK = '\u0001int64:';

/**
 * A 64-bit id written into the JSON as a bare number, as WeChat does (JSON.stringify cannot):
 * the server replaces the marked string with its digits.
 */
export function int64(digits: string): string {
  if (!/^\d{1,20}$/.test(digits)) throw new RangeError(`not an unsigned integer: ${digits}`);
  return `${INT64_MARK}${digits}`;
}

/** JSON.stringify, with the int64() values unquoted. */
export function stringifyWechatJson(body: object): string {
  const text = JSON.stringify(body);
  return text.includes('\\u0001int64:') ? text.replace(/"\\u0001int64:(\d+)"/g, '$1') : text;
}

export function fail(errcode: number, errmsg: string = errmsgFor(errcode), extra?: object): Reply {
  return extra === undefined
    ? { ok: false, errcode, errmsg }
    : { ok: false, errcode, errmsg, extra };
}

/** A request handler plus how to tell which app a request concerns (for call counters). */
export interface Route {
  /** 'POST' routes answer other methods with 43002; 'GET' routes read the query whatever the method. */
  readonly method: 'GET' | 'POST';
  handle(req: EmulatorRequest): Reply;
  appIdOf(req: EmulatorRequest): string | undefined;
}

export type JsonBody =
  | { readonly kind: 'object'; readonly value: Readonly<Record<string, unknown>> }
  | { readonly kind: 'malformed' };

/** Parses a JSON object body; anything else (array, number, broken text, empty) is malformed. */
export function parseJsonObject(text: string): JsonBody {
  const value = parseRecord(text);
  return value === undefined ? { kind: 'malformed' } : { kind: 'object', value };
}
