/**
 * The worked vectors of wechat-api-more.md §1.1 and §1.4: signatures, and safe-mode decrypt and
 * encrypt byte for byte (the 283-byte message pads with 31 × 0x1f, the Node padding trap).
 */
import { describe, expect, it } from 'vitest';
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  PushDecryptError,
  wechatSignature,
} from '../../src/events/crypto.js';
import { VECTOR } from './vectors.js';

describe('push signatures', () => {
  it('match the official vectors (strings sorted lexicographically)', () => {
    expect(wechatSignature('AAAAA', '1714036504', '1514711492')).toBe(
      'f464b24fc39322e44b38aa78f5edd27bd1441696',
    );
    expect(wechatSignature('AAAAA', '1714037059', '486452656')).toBe(
      '899cf89e464efb63f54ddac96b0a0a235f53aa78',
    );
  });

  it('match the worked example and the safe-mode msg_signature', () => {
    expect(wechatSignature(VECTOR.token, VECTOR.timestamp, VECTOR.nonce)).toBe(VECTOR.signature);
    expect(wechatSignature(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.encrypt)).toBe(
      VECTOR.msgSignature,
    );
  });
});

describe('safe-mode crypto', () => {
  it('derives the AES key of the vector', () => {
    expect(aesKeyOf(VECTOR.encodingAesKey).toString('hex')).toBe(VECTOR.aesKeyHex);
  });

  it('decrypts the vector to the 283-byte plaintext and its appid', () => {
    const decrypted = decryptMessage(VECTOR.encrypt, [VECTOR.encodingAesKey], VECTOR.appId);
    expect(decrypted).toEqual({ message: VECTOR.plaintext, appId: VECTOR.appId, keyIndex: 0 });
    expect(Buffer.byteLength(decrypted.message)).toBe(283);
  });

  it('encrypts the plaintext to the vector byte for byte', () => {
    const random = Buffer.from(VECTOR.random, 'ascii');
    expect(encryptMessage(VECTOR.plaintext, VECTOR.encodingAesKey, VECTOR.appId, random)).toBe(
      VECTOR.encrypt,
    );
  });

  it('round-trips every padding length, with random prefixes that differ', () => {
    for (let size = 0; size < 70; size++) {
      const message = 'x'.repeat(size);
      const one = encryptMessage(message, VECTOR.encodingAesKey, VECTOR.appId);
      const two = encryptMessage(message, VECTOR.encodingAesKey, VECTOR.appId);
      expect(one).not.toBe(two);
      expect(decryptMessage(one, [VECTOR.encodingAesKey], VECTOR.appId).message).toBe(message);
    }
  });

  it('tries the previous key during a rotation and says which one worked', () => {
    const previous = 'Prev0123456789abcdefghijklmnopqrstuvwxyzABC';
    const encrypt = encryptMessage('<xml/>', previous, VECTOR.appId);
    expect(decryptMessage(encrypt, [VECTOR.encodingAesKey, previous], VECTOR.appId)).toEqual({
      message: '<xml/>',
      appId: VECTOR.appId,
      keyIndex: 1,
    });
  });

  it('refuses a message for another appid, a wrong key and broken base64', () => {
    expect(() =>
      decryptMessage(VECTOR.encrypt, [VECTOR.encodingAesKey], 'wx0000000000000000'),
    ).toThrow(new PushDecryptError('the message is for another appid'));
    const other = 'Other123456789abcdefghijklmnopqrstuvwxyzABC';
    expect(() => decryptMessage(VECTOR.encrypt, [other], VECTOR.appId)).toThrow(PushDecryptError);
    expect(() => decryptMessage('not base64!', [VECTOR.encodingAesKey], VECTOR.appId)).toThrow(
      PushDecryptError,
    );
    expect(() => aesKeyOf('short')).toThrow(RangeError);
  });
});
