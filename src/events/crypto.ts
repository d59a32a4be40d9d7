/**
 * WeChat's push crypto (wechat-api-more.md §1.1–1.4): the SHA-1 signatures over the sorted
 * strings, and safe mode's AES-256-CBC with WeChat's 32-byte PKCS#7. Node's own padding is off on
 * both sides (it would strip pads ≤16 silently and throw on 17–32).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const BLOCK = 32;
const RANDOM_PREFIX = 16;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

/** Lowercase hex SHA-1 of the parts sorted as strings and joined: `signature`, `msg_signature`. */
export function wechatSignature(...parts: readonly string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** 43 characters of [A-Za-z0-9], as the console generates them. */
export function isEncodingAesKey(value: string): boolean {
  return ENCODING_AES_KEY.test(value);
}

/** The 32-byte AES key of an EncodingAESKey (base64 of the 43 characters plus "="). */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!isEncodingAesKey(encodingAesKey)) {
    throw new RangeError('an EncodingAESKey is 43 characters of [A-Za-z0-9]');
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/**
 * `Encrypt` for `message`: base64 of AES-256-CBC (IV = the key's first 16 bytes) over 16 random
 * bytes ‖ 4-byte big-endian length ‖ message ‖ appid, padded to 32 bytes.
 */
export function encryptMessage(
  message: string,
  encodingAesKey: string,
  appId: string,
  random: Buffer = randomBytes(RANDOM_PREFIX),
): string {
  if (random.length !== RANDOM_PREFIX) throw new RangeError('the random prefix is 16 bytes');
  const key = aesKeyOf(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Why an `Encrypt` value was refused; never echoes key material or plaintext. */
export class PushDecryptError extends Error {}

export interface Decrypted {
  /** The message inside (XML or JSON text). */
  message: string;
  /** The appid the message was encrypted for. */
  appId: string;
}

function decryptWith(encrypted: Buffer, encodingAesKey: string): Decrypted {
  const key = aesKeyOf(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK) throw new PushDecryptError('bad padding');
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < RANDOM_PREFIX + 4) throw new PushDecryptError('too short');
  const length = plain.readUInt32BE(RANDOM_PREFIX);
  const end = RANDOM_PREFIX + 4 + length;
  if (end > plain.length) throw new PushDecryptError('length field beyond the message');
  return {
    message: plain.subarray(RANDOM_PREFIX + 4, end).toString('utf8'),
    appId: plain.subarray(end).toString('utf8'),
  };
}

/**
 * Decrypts `Encrypt` with the first of `encodingAesKeys` that yields a well-formed message for
 * `expectedAppId` (the current key, then the previous one during a rotation). Throws
 * PushDecryptError when none does; `wrongAppId` tells a message for another app apart.
 */
export function decryptMessage(
  encrypt: string,
  encodingAesKeys: readonly string[],
  expectedAppId: string,
): Decrypted & { keyIndex: number } {
  const encrypted = Buffer.from(encrypt, 'base64');
  if (encrypted.length === 0 || encrypted.length % BLOCK !== 0) {
    throw new PushDecryptError('Encrypt is not whole AES blocks');
  }
  let otherApp = false;
  for (const [keyIndex, encodingAesKey] of encodingAesKeys.entries()) {
    let decrypted: Decrypted;
    try {
      decrypted = decryptWith(encrypted, encodingAesKey);
    } catch {
      continue;
    }
    if (decrypted.appId === expectedAppId) return { ...decrypted, keyIndex };
    otherApp = true;
  }
  throw new PushDecryptError(
    otherApp ? 'the message is for another appid' : 'no configured key decrypts it',
  );
}
