import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, errors } from 'undici';
import type { Dispatcher } from 'undici';
import { endpointOf } from './endpoints.js';
import {
  UpstreamOutcomeUnknownError,
  UpstreamUnavailableError,
  WechatApiError,
  type UpstreamFailureKind,
} from './errors.js';
import { judgeFailure } from './retry-policy.js';
import { isJsonLike, readEnvelope, sniffImageType, type UpstreamImage } from './wire.js';

export { parseRid } from './wire.js';
export type { UpstreamImage } from './wire.js';

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
  /**
   * Requests per call for endpoints whose repeat is harmless (endpoints.ts), after -1, a timeout
   * or a lost connection; default 2 (one retry). Sends are never repeated after those.
   */
  maxAttempts?: number;
  /** Real pause before a retry; default 100 ms. */
  retryDelayMs?: number;
  /** Told of every request's latency and outcome (the gateway's metrics); default: nobody. */
  observer?: UpstreamObserver;
}

import type { UpstreamObserver } from '../observability/observers.js';
export type { UpstreamObserver, UpstreamOutcome } from '../observability/observers.js';

export interface WechatRequestOptions {
  /** Aborts the request (e.g. the token fetch's overall deadline); fails as a 'timeout'. */
  signal?: AbortSignal;
}

export interface WechatHttp {
  /**
   * GET `${baseUrl}${api}?query`; parses JSON whatever the content type (64-bit integers come
   * back as strings); errcode present & != 0 → WechatApiError; network/timeout/non-JSON →
   * UpstreamUnavailableError. Failures are retried or turned into UpstreamOutcomeUnknownError as
   * the endpoint's row in endpoints.ts says.
   */
  get<T>(api: string, query: Record<string, string>, options?: WechatRequestOptions): Promise<T>;
  /** POST JSON body. */
  postJson<T>(
    api: string,
    query: Record<string, string>,
    body: unknown,
    options?: WechatRequestOptions,
  ): Promise<T>;
  /** POST JSON body to an endpoint that answers image bytes, or JSON with an errcode on failure. */
  postForImage(
    api: string,
    query: Record<string, string>,
    body: unknown,
    options?: WechatRequestOptions,
  ): Promise<UpstreamImage>;
  close(): Promise<void>;
}

// WeChat answers in tens of milliseconds; undici's 300 s defaults would let one stuck request
// hold a caller (and a refresh lease) for minutes.
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 5_000;
const DEFAULT_BODY_TIMEOUT_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS = 2;
const DEFAULT_RETRY_DELAY_MS = 100;

/** What a caller of a send learns when its outcome is unknown. */
function outcomeUnknown(api: string, error: unknown): UpstreamOutcomeUnknownError {
  if (error instanceof WechatApiError) {
    return new UpstreamOutcomeUnknownError(api, `errcode ${error.errcode}`, {
      cause: error,
      errcode: error.errcode,
      rid: error.rid,
    });
  }
  const detail = error instanceof UpstreamUnavailableError ? error.kind : 'unexpected failure';
  return new UpstreamOutcomeUnknownError(api, detail, { cause: error });
}

/** Shared by every POST: undici only reads request headers. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
});

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

/** Errors that mean the request never left this host, so WeChat cannot have acted on it. */
const UNREACHED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function reachedWechat(error: unknown): boolean {
  if (error instanceof errors.ConnectTimeoutError) return false;
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return !(typeof code === 'string' && UNREACHED_CODES.has(code));
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

/** One call, as it travels from the public methods through retries and the observer to the wire. */
interface UpstreamRequest {
  method: 'GET' | 'POST';
  api: string;
  query: Record<string, string>;
  /** POST only: sent as JSON (`{}` when undefined). */
  body: unknown;
  /** The caller's signal (WechatRequestOptions.signal): aborts the request, stops retries. */
  signal: AbortSignal | undefined;
  /** postForImage: a non-JSON answer is read as image bytes rather than a JSON envelope. */
  binary: boolean;
}

/** What came back, before the envelope or the image is judged. */
interface Answer {
  statusCode: number;
  contentType: string;
  text: string;
  bytes: Buffer | undefined;
}

type Result = Record<string, unknown> | UpstreamImage;

/** The validated connection settings: where requests go and how long each may take. */
interface Connection {
  pool: Pool;
  origin: string;
  pathPrefix: string;
  requestTimeoutMs: number;
  deadlineDetail: string;
}

/**
 * One long-lived connection pool (never the global dispatcher) with short timeouts; a timeout
 * option that cannot work is a RangeError naming it, before any request is made.
 */
function openConnection(options: WechatHttpOptions): Connection {
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
  return { pool, origin, pathPrefix, requestTimeoutMs, deadlineDetail };
}

/** One request; transport failures become UpstreamUnavailableError (never naming the query). */
async function exchange(connection: Connection, call: UpstreamRequest): Promise<Answer> {
  const { api, method, signal: callerSignal } = call;
  const search = encodeQuery(call.query);
  const path = `${connection.pathPrefix}${api}${search === '' ? '' : `?${search}`}`;
  // One abort switch per request, fed by our deadline and the caller's signal; the timer is
  // cleared once the body is read, so no timer outlives its request.
  const abort = new RequestAbort();
  const timer = setTimeout(
    onDeadline,
    connection.requestTimeoutMs,
    abort,
    connection.deadlineDetail,
  );
  let onCallerAbort: (() => void) | undefined;
  if (callerSignal !== undefined) {
    onCallerAbort = () => abort.abort('aborted by the caller (deadline passed)');
    if (callerSignal.aborted) onCallerAbort();
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }
  const request: Dispatcher.RequestOptions = {
    origin: connection.origin,
    path,
    method,
    signal: abort,
  };
  if (method === 'POST') {
    request.headers = JSON_HEADERS;
    request.body = JSON.stringify(call.body ?? {});
  }
  try {
    const response = await connection.pool.request(request);
    const header = response.headers['content-type'];
    const contentType = (Array.isArray(header) ? header[0] : header) ?? 'none';
    // Always read the body to the end, whatever the status: an unread body pins the socket.
    if (call.binary && !isJsonLike(contentType)) {
      const bytes = Buffer.from(await response.body.arrayBuffer());
      return { statusCode: response.statusCode, contentType, text: '', bytes };
    }
    const text = await response.body.text();
    return { statusCode: response.statusCode, contentType, text, bytes: undefined };
  } catch (error) {
    const aborted = abort.aborted;
    // The abort reason is our own Error, whose message names no path or query.
    throw new UpstreamUnavailableError(
      api,
      failureKind(error, aborted),
      aborted ? abort.detail : describe(error),
      { cause: error, reached: aborted || reachedWechat(error) },
    );
  } finally {
    clearTimeout(timer);
    if (onCallerAbort !== undefined) callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/** An answer judged: the JSON envelope (errcode → WechatApiError), or image bytes that are one. */
function judgeAnswer(api: string, answer: Answer): Result {
  if (answer.bytes === undefined) {
    return readEnvelope(api, answer.statusCode, answer.contentType, answer.text);
  }
  const contentType = sniffImageType(answer.bytes);
  if (answer.statusCode !== 200 || contentType === undefined) {
    throw new UpstreamUnavailableError(
      api,
      'bad-response',
      `HTTP ${answer.statusCode}, ${answer.contentType}, ${answer.bytes.length} bytes that are no image`,
    );
  }
  return { contentType, bytes: answer.bytes };
}

type Attempt = (call: UpstreamRequest) => Promise<Result>;

/** `attempt`, timed and reported to the observer; `attempt` itself when there is none. */
function observedAttempts(observer: UpstreamObserver | undefined, attempt: Attempt): Attempt {
  if (observer === undefined) return attempt;
  return async (call) => {
    // Only the table's paths are reported: a metrics label never holds anything a caller made up.
    const endpoint = endpointOf(call.api)?.path ?? 'other';
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await attempt(call);
      observer.observe(endpoint, seconds(), 'ok');
      return result;
    } catch (error) {
      if (error instanceof WechatApiError) {
        observer.observe(endpoint, seconds(), 'errcode', error.errcode);
      } else {
        const kind = error instanceof UpstreamUnavailableError ? error.kind : 'network';
        observer.observe(endpoint, seconds(), kind);
      }
      throw error;
    }
  };
}

/** Attempts as the endpoint's row allows; a send with an unknown outcome is never repeated. */
function retryingAttempts(options: WechatHttpOptions, attempt: Attempt): Attempt {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  return async (call) => {
    const repeat = endpointOf(call.api)?.repeat;
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt(call);
      } catch (error) {
        if (error instanceof WechatApiError) error.attempts = tries;
        const verdict = judgeFailure(repeat, error, tries, maxAttempts);
        if (verdict === 'unknown') throw outcomeUnknown(call.api, error);
        if (verdict === 'fail' || call.signal?.aborted) throw error;
        await sleep(retryDelayMs);
      }
    }
  };
}

/**
 * Upstream client for one WeChat origin: one long-lived connection pool (never the global
 * dispatcher), short timeouts, bodies always consumed, success decided by `errcode` alone.
 * Each call goes retries → observer → one exchange on the wire → the answer judged.
 */
export function createWechatHttp(options: WechatHttpOptions): WechatHttp {
  const connection = openConnection(options);
  const attempt: Attempt = async (call) => judgeAnswer(call.api, await exchange(connection, call));
  const send = retryingAttempts(options, observedAttempts(options.observer, attempt));
  /** One request of the given shape; the answer's type is the caller's to state. */
  const call =
    (method: UpstreamRequest['method'], binary: boolean) =>
    (api: string, query: Record<string, string>, body: unknown, options?: WechatRequestOptions) =>
      send({ method, api, query, body, signal: options?.signal, binary });
  const getCall = call('GET', false);
  const jsonCall = call('POST', false);
  const imageCall = call('POST', true);
  return {
    // The shape is the endpoint's contract (src/wechat/types.ts); callers check what they rely on.
    get: async <T>(api: string, query: Record<string, string>, options?: WechatRequestOptions) =>
      (await getCall(api, query, undefined, options)) as T,
    postJson: async <T>(
      api: string,
      query: Record<string, string>,
      body: unknown,
      options?: WechatRequestOptions,
    ) => (await jsonCall(api, query, body, options)) as T,
    postForImage: async (api, query, body, options) =>
      (await imageCall(api, query, body, options)) as UpstreamImage,
    close: () => connection.pool.close(),
  };
}
