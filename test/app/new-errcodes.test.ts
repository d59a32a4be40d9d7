/**
 * Every errcode row added for messages, mass sends, codes, links, phone numbers and tags, as a
 * client reads it: the documented code, with extensions.wechat. Injected on a read (tags) so the
 * row alone decides; the send-specific answers (-1, ALREADY_SENT) are in messages/mass tests.
 */
import { describe, expect, it } from 'vitest';
import { errcodeRow } from '../../src/wechat/errcodes.js';
import { TAGS_GET_API } from '../support/wechat-api.js';
import { NEW_ERRCODES as EXPECTED } from '../support/errcode-expectations.js';
import { useGateway } from '../support/harness.js';

describe('errcodes of the new endpoints', () => {
  const fx = useGateway();

  it.each(EXPECTED)(
    'errcode %i → %s, with the row message and extensions.wechat',
    async (errcode, code) => {
      const { gw } = fx;
      gw.emulator.failNext(TAGS_GET_API, 1, { errcode });
      const res = await gw.query('{ tags { id } }');
      const error = res.body.errors?.[0];
      expect(error?.message).toBe(errcodeRow(errcode).message);
      expect(error?.extensions).toMatchObject({
        code,
        wechat: { errcode, rid: expect.any(String) },
      });
      expect(gw.emulator.calls(TAGS_GET_API)).toBe(1);
    },
  );

  it('every one has its own row (none falls back to UPSTREAM_REJECTED by accident)', () => {
    for (const [errcode] of EXPECTED) expect(errcodeRow(errcode).name).not.toMatch(/^errcode /);
  });
});
