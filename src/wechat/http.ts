import { EventEmitter } from 'node:events';
import { Pool, errors } from 'undici';
import type { Dispatcher } from 'undici';
import { UpstreamUnavailableError, WechatApiError } from './errors.js';
import type { UpstreamFailureKind } from './errors.js';

export interface WechatHttpOptions {
  /** e.g. `https://api.weixin.qq.com` or the emulator's URL; a path prefix is kept. */
  baseUrl: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /**
   * Deadline for a whole request, connect to last body byte. bodyTimeout only bounds the gap
   * between two chunks, so a server that drips a byte at a time would otherwise hold a caller
   * for as long as it likes.
   */
  requestTimeoutMs?: number;
}

export interface WechatRequestOptions {
  /** Aborts the request (e.g. the token fetch's overall deadline); fails as a 'timeout'. */
  signal?: AbortSignal;
}

export interface WechatHttp {
  /** GET `${baseUrl}${api}?query`; parses JSON whatever the content type; errcode present & != 0 → WechatApiError; network/timeout/non-JSON → UpstreamUnavailableError. */
  get<T>(api: string, query: Record<string, string>, options?: WechatRequestOptions): Promise<T>;
  /** POST JSON body. */
  postJson<T>(
    api: string,
    query: Record<string, string>,
    body: unknown,
    options?: WechatRequestOptions,
  ): Promise<T>;
  close(): Promise<void>;
}

// WeChat answers in tens of milliseconds; undici's 300 s defaults would let one stuck request
// hold a caller (and a refresh lease) for minutes.
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 5_000;
const DEFAULT_BODY_TIMEOUT_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Shared by every POST: undici only reads request headers. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
});

const RID_PATTERN = /\brid:\s*([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})/i;

/** The request id WeChat appends to errmsg (`... rid: 66b5fb8f-5e3c0071-3d7f539a`), if any. */
export function parseRid(errmsg: string): string | undefined {
  return RID_PATTERN.exec(errmsg)?.[1];
}

function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

function parseBaseUrl(baseUrl: string): { origin: string; pathPrefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`WeChat API base URL is not a valid URL: "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`WeChat API base URL must be http(s), got "${url.protocol}"`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError('WeChat API base URL must not carry credentials, a query or a fragment');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

function failureKind(error: unknown, aborted: boolean): UpstreamFailureKind {
  if (
    aborted ||
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError
  ) {
    return 'timeout';
  }
  return 'network';
}

/**
 * A short description of a transport failure. undici's messages name the error class and the
 * socket address, never the request path, so no query string (secret, token, code) can leak.
 */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code === undefined ? error.name : `${error.name} ${code}`;
  }
  return 'unknown transport error';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters `application/x-www-form-urlencoded` leaves as they are. */
const FORM_SAFE = /^[\w.*-]*$/;

/**
 * `new URLSearchParams(query).toString()`, byte for byte, without building one on every call for
 * the usual query of plain tokens and ids.
 */
function encodeQuery(query: Record<string, string>): string {
  let search = '';
  for (const [key, value] of Object.entries(query)) {
    const pair =
      FORM_SAFE.test(key) && FORM_SAFE.test(value)
        ? `${key}=${value}`
        : new URLSearchParams([[key, value]]).toString();
    search = search === '' ? pair : `${search}&${pair}`;
  }
  return search;
}

/**
 * One request's abort switch. undici takes an EventEmitter as `signal` (it reads `aborted` and
 * `reason`, and listens for 'abort'); on every upstream call that is several times cheaper than an
 * AbortController, whose EventTarget machinery showed up in the gateway's CPU profile.
 */
class RequestAbort extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;
  /** What the caller's error says; names no path or query. */
  detail = '';

  abort(detail: string): void {
    if (this.aborted) return;
    this.aborted = true;
    this.detail = detail;
    this.reason = new Error(detail);
    this.emit('abort');
  }
}

// Module-level, so no closure is allocated per request.
const onDeadline = (request: RequestAbort, detail: string): void => request.abort(detail);

/**
 * Upstream client for one WeChat origin: one long-lived connection pool (never the global
 * dispatcher), short timeouts, bodies always consumed, success decided by `errcode` alone.
 */
export function createWechatHttp(options: WechatHttpOptions): WechatHttp {
  const { origin, pathPrefix } = parseBaseUrl(options.baseUrl);
  const pool = new Pool(origin, {
    connect: {
      timeout: positiveMs('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
    },
    headersTimeout: positiveMs(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      DEFAULT_HEADERS_TIMEOUT_MS,
    ),
    bodyTimeout: positiveMs('bodyTimeoutMs', options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS),
    pipelining: 1,
  });
  const requestTimeoutMs = positiveMs(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    DEFAULT_REQUEST_TIMEOUT_MS,
  );
  const deadlineDetail = `no complete answer within ${requestTimeoutMs} ms`;

  async function send<T>(
    method: 'GET' | 'POST',
    api: string,
    query: Record<string, string>,
    body: unknown,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    const search = encodeQuery(query);
    const path = `${pathPrefix}${api}${search === '' ? '' : `?${search}`}`;
    // One abort switch per request, fed by our deadline and the caller's signal; the timer is
    // cleared once the body is read, so no timer outlives its request.
    const abort = new RequestAbort();
    const timer = setTimeout(onDeadline, requestTimeoutMs, abort, deadlineDetail);
    let onCallerAbort: (() => void) | undefined;
    if (callerSignal !== undefined) {
      onCallerAbort = () => abort.abort('aborted by the caller (deadline passed)');
      if (callerSignal.aborted) onCallerAbort();
      else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
    const request: Dispatcher.RequestOptions = { origin, path, method, signal: abort };
    if (method === 'POST') {
      request.headers = JSON_HEADERS;
      request.body = JSON.stringify(body ?? {});
    }

    let text: string;
    let statusCode: number;
    let contentType: string;
    try {
      const response = await pool.request(request);
      statusCode = response.statusCode;
      const header = response.headers['content-type'];
      contentType = (Array.isArray(header) ? header[0] : header) ?? 'none';
      // Always read the body to the end, whatever the status: an unread body pins the socket.
      text = await response.body.text();
    } catch (error) {
      const aborted = abort.aborted;
      // The abort reason is our own Error, whose message names no path or query.
      throw new UpstreamUnavailableError(
        api,
        failureKind(error, aborted),
        aborted ? abort.detail : describe(error),
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      if (onCallerAbort !== undefined) callerSignal?.removeEventListener('abort', onCallerAbort);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
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
        throw new WechatApiError(api, errcode, errmsg, parseRid(errmsg));
      }
    }
    if (statusCode < 200 || statusCode >= 300) {
      throw new UpstreamUnavailableError(api, 'bad-response', `HTTP ${statusCode} without errcode`);
    }
    // The shape is the endpoint's contract (src/wechat/types.ts); callers check what they rely on.
    return parsed as T;
  }

  return {
    get: (api, query, options) => send('GET', api, query, undefined, options?.signal),
    postJson: (api, query, body, options) => send('POST', api, query, body, options?.signal),
    close: () => pool.close(),
  };
}
