import { errmsgFor } from './errmsg.js';

/** What a handler sees of an HTTP request: everything is already read and decoded. */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Raw body text ('' for none). */
  readonly body: string;
  /** Media type without parameters, lower case ('' when absent), e.g. 'application/json'. */
  readonly contentType: string;
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
  | { readonly ok: true; readonly body: object }
  | { readonly ok: true; readonly page: Page }
  | { readonly ok: false; readonly errcode: number; readonly errmsg: string };

export function ok(body: object): Reply {
  return { ok: true, body };
}

export function fail(errcode: number, errmsg: string = errmsgFor(errcode)): Reply {
  return { ok: false, errcode, errmsg };
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'malformed' };
  }
  return isRecord(parsed) ? { kind: 'object', value: parsed } : { kind: 'malformed' };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
