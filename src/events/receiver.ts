/**
 * `GET|POST /wechat/callback/<app>`: URL verification, then each push verified, decrypted,
 * typed, logged once fleet-wide and answered `success` at once. Subscribers are fed from the log
 * and never slow the answer. A refused push gets a 4xx and goes nowhere; a push the log could not
 * take gets a 503, so WeChat sends it again.
 *
 * In this order, so that nothing an attacker sends is parsed before what signs it is checked:
 * the URL's signature and timestamp; the app's mode against `encrypt_type`; for an encrypted
 * push the `Encrypt` field (found by a linear scan), its msg_signature, the decryption; the
 * signed query remembered with the message (a captured query never carries a second message);
 * then the message is parsed, typed and logged.
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import type { EventBackend } from './backend.js';
import { callbackMode, type CallbackSettings } from '../config/events.js';
import { encryptFieldOf } from './envelope.js';
import { normalizePush } from './normalize.js';
import { rememberNonce } from './nonces.js';
import { MalformedPushError, parsePush, type PushFields } from './parse.js';
import { createRefusalLog } from './refusal-log.js';
import { openEncrypted, PushRefusal, verifyQuery, type SignedQuery } from './verify.js';

export const CALLBACK_PATH_PREFIX = '/wechat/callback/';

/** No push comes near this; mass-send results with many articles are a few kB. */
export const MAX_PUSH_BYTES = 64 * 1024;

/** Longer than WeChat retries (3 tries 5 s apart) and than the timestamp window. */
export const DEDUPE_TTL_MS = 10 * 60 * 1000;

export interface CallbackApp {
  readonly name: string;
  readonly appId: string;
  readonly settings: CallbackSettings;
}

export interface ReceiverDeps {
  /** Apps with a callback URL, by name. */
  apps: ReadonlyMap<string, CallbackApp>;
  backend: EventBackend;
  /** Where signed query strings are remembered, fleet-wide (nonces.ts). */
  store: TokenStore;
  clock: Clock;
  logger: Logger;
}

// nosniff: the echostr answer repeats what the query says; no browser may read it as HTML.
const text = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });

const LOG_UNAVAILABLE = 'the event log is unavailable; retry';

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_PUSH_BYTES) throw new PushRefusal(413, 'body too large');
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > MAX_PUSH_BYTES) {
        await reader.cancel();
        throw new PushRefusal(413, 'body too large');
      }
      chunks.push(read.value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The message's fields; whatever the parser says, the reason never quotes the body. */
function parseOrRefuse(message: string): PushFields {
  try {
    return parsePush(message);
  } catch (error) {
    // MalformedPushError's reasons are fixed strings; a parser's own error may quote the input.
    if (error instanceof MalformedPushError) throw new PushRefusal(400, error.message);
    throw new PushRefusal(400, 'not a readable push');
  }
}

/**
 * The message inside the request, as the app's mode allows it: decrypted (compatible and safe
 * mode bodies alike) or as sent in plaintext. Parses nothing.
 */
function openMessage(
  query: URLSearchParams,
  body: string,
  signed: SignedQuery,
  app: CallbackApp,
): string {
  const mode = callbackMode(app.settings);
  const encryptType = query.get('encrypt_type') ?? 'raw';
  if (encryptType === 'raw') {
    if (mode === 'safe') {
      throw new PushRefusal(403, 'a plaintext push, but the callback is in safe mode');
    }
    return body;
  }
  if (encryptType !== 'aes') throw new PushRefusal(400, 'unknown encrypt_type');
  if (mode === 'plain') {
    throw new PushRefusal(403, 'an encrypted push, but the callback is in plain mode');
  }
  const encrypt = encryptFieldOf(body);
  if (encrypt === '') throw new PushRefusal(400, 'encrypt_type=aes without an Encrypt field');
  const msgSignature = query.get('msg_signature') ?? '';
  return openEncrypted(encrypt, msgSignature, signed, app.settings, app.appId);
}

export interface Receiver {
  /** Undefined when `pathname` is not a callback path. */
  handle(request: Request, pathname: string): Promise<Response> | undefined;
}

export function createReceiver(deps: ReceiverDeps): Receiver {
  const { backend, clock, logger, store } = deps;
  const refused = createRefusalLog(logger, clock);

  const unavailable = (error: unknown, app: CallbackApp, what: string): Response => {
    logger.error({ err: error, app: app.name }, `${what}: answered 503, WeChat will send it again`);
    return text(503, LOG_UNAVAILABLE);
  };

  const accept = async (request: Request, app: CallbackApp): Promise<Response> => {
    const query = new URL(request.url).searchParams;
    const signed = verifyQuery(query, app.settings, clock.now());
    if (request.method === 'GET') {
      const echostr = query.get('echostr');
      if (echostr === null) throw new PushRefusal(400, 'GET without echostr');
      logger.info({ app: app.name }, 'WeChat verified the callback URL');
      return text(200, echostr);
    }
    const message = openMessage(query, await readBody(request), signed, app);
    let use;
    try {
      use = await rememberNonce(store, app.appId, signed, message, clock.now());
    } catch (error) {
      return unavailable(error, app, 'a WeChat push could not be checked against replays');
    }
    if (use === 'reused') {
      throw new PushRefusal(403, 'a signed query already used for another message');
    }
    const fields = parseOrRefuse(message);
    let normalized;
    try {
      normalized = normalizePush(fields, app.name, new Date(clock.now()));
    } catch (error) {
      if (error instanceof MalformedPushError) throw new PushRefusal(400, error.message);
      throw error;
    }
    const { event, dedupeKey } = normalized;
    let appended;
    try {
      appended = await backend.append(app.appId, event, { key: dedupeKey, ttlMs: DEDUPE_TTL_MS });
    } catch (error) {
      return unavailable(error, app, 'a WeChat push could not be logged');
    }
    if (appended === 'duplicate') {
      logger.debug({ app: app.name, kind: event.kind }, 'repeated WeChat push ignored');
    }
    return text(200, 'success');
  };

  return {
    handle(request, pathname) {
      if (!pathname.startsWith(CALLBACK_PATH_PREFIX)) return undefined;
      const name = pathname.slice(CALLBACK_PATH_PREFIX.length);
      const app = deps.apps.get(name);
      if (!app) return Promise.resolve(text(404, 'no callback is configured for this app'));
      if (request.method !== 'GET' && request.method !== 'POST') {
        return Promise.resolve(
          new Response('use GET or POST', { status: 405, headers: { allow: 'GET, POST' } }),
        );
      }
      return accept(request, app).catch((error: unknown) => {
        if (!(error instanceof PushRefusal)) throw error;
        refused(app.name, error.status, error.message);
        return text(error.status, error.message);
      });
    },
  };
}
