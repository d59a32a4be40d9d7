/**
 * The checks of one push request before its body is trusted (wechat-api-more.md §1.1–1.2): the
 * URL's signature over Token/timestamp/nonce, the timestamp window, and in encrypted modes the
 * msg_signature over the `Encrypt` field and the appid inside it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CallbackSettings } from '../config/events.js';
import { decryptMessage, PushDecryptError, wechatSignature } from './crypto.js';

/** A push is refused with `status`; `reason` is for the log (no secrets, no signatures). */
export class PushRefusal extends Error {
  readonly status: number;

  constructor(status: number, reason: string) {
    super(reason);
    this.status = status;
  }
}

/** WeChat's own clock may drift; a request signed more than this away from ours is refused. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export interface SignedQuery {
  readonly timestamp: string;
  readonly nonce: string;
  /** Lowercase, as computed: the same query however its hex was cased. */
  readonly signature: string;
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads and checks `signature`, `timestamp`, `nonce`; throws PushRefusal. */
export function verifyQuery(
  query: URLSearchParams,
  settings: CallbackSettings,
  nowMs: number,
): SignedQuery {
  const timestamp = query.get('timestamp') ?? '';
  const nonce = query.get('nonce') ?? '';
  const signature = query.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || nonce === '' || nonce.length > 64 || signature === '') {
    throw new PushRefusal(400, 'signature, timestamp or nonce missing or malformed');
  }
  const expected = wechatSignature(settings.token, timestamp, nonce);
  if (!sameHex(signature, expected)) {
    throw new PushRefusal(403, 'bad signature');
  }
  if (Math.abs(Number(timestamp) * 1000 - nowMs) > TIMESTAMP_WINDOW_MS) {
    throw new PushRefusal(403, 'timestamp more than 5 minutes off');
  }
  return { timestamp, nonce, signature: expected };
}

/** Checks msg_signature over `encrypt`, decrypts it and checks it was meant for `appId`. */
export function openEncrypted(
  encrypt: string,
  msgSignature: string,
  signed: SignedQuery,
  settings: CallbackSettings,
  appId: string,
): string {
  if (settings.aesKeys.length === 0) {
    throw new PushRefusal(400, 'an encrypted push, but no EncodingAESKey is configured');
  }
  const expected = wechatSignature(settings.token, signed.timestamp, signed.nonce, encrypt);
  if (msgSignature === '' || !sameHex(msgSignature, expected)) {
    throw new PushRefusal(403, 'bad msg_signature');
  }
  try {
    return decryptMessage(encrypt, settings.aesKeys, appId).message;
  } catch (error) {
    if (error instanceof PushDecryptError) throw new PushRefusal(403, error.message);
    throw error;
  }
}
