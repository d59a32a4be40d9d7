import { describe, expect, it } from 'vitest';
import { WechatApiError } from '../../src/wechat/errors.js';
import {
  isJsonLike,
  parseWechatJson,
  readEnvelope,
  sniffImageType,
} from '../../src/wechat/wire.js';

describe('parseWechatJson', () => {
  it('keeps 64-bit ids exact as strings (co-wechat-api #89)', () => {
    expect(parseWechatJson('{"errcode":0,"msgid":271781022721654784}')).toEqual({
      errcode: 0,
      msgid: '271781022721654784',
    });
    expect(JSON.parse('{"msgid":271781022721654784}').msgid).not.toBe(
      271781022721654784n.toString(),
    );
  });

  it('leaves safe numbers as numbers, and digits inside strings alone', () => {
    expect(
      parseWechatJson('{"msg_id":1000000001,"expires_in":7200,"t":"12345678901234567890","x":1.5}'),
    ).toEqual({ msg_id: 1000000001, expires_in: 7200, t: '12345678901234567890', x: 1.5 });
  });
});

describe('readEnvelope', () => {
  it('carries the msg_id WeChat puts next to 45065', () => {
    const error = (() => {
      try {
        readEnvelope(
          '/m',
          200,
          'application/json',
          '{"errcode":45065,"errmsg":"clientmsgid exist","msg_id":3147494441}',
        );
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ errcode: 45065, msgId: '3147494441' });
  });
});

describe('image answers', () => {
  it('are typed by their bytes, not by their label', () => {
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0]))).toBe(
      'image/png',
    );
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('{"errcode":1}'))).toBeUndefined();
  });

  it('JSON and text bodies are read as errors', () => {
    expect(isJsonLike('application/json; encoding=utf-8')).toBe(true);
    expect(isJsonLike('text/plain')).toBe(true);
    expect(isJsonLike('image/jpeg')).toBe(false);
  });
});
