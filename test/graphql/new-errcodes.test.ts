/**
 * Every errcode row added for messages, mass sends, codes, links, phone numbers and tags, as a
 * client reads it: the documented code, with extensions.wechat. Injected on a read (tags) so the
 * row alone decides; the send-specific answers (-1, ALREADY_SENT) are in messages/mass tests.
 */
import { describe, expect, it } from 'vitest';
import { errcodeRow } from '../../src/wechat/errcodes.js';
import { TAGS_GET_API } from '../support/wechat-api.js';
import { useGateway } from './harness.js';

const EXPECTED: [number, string][] = [
  [40002, 'UPSTREAM_MISCONFIGURED'],
  [40007, 'BAD_USER_INPUT'],
  [40037, 'BAD_USER_INPUT'],
  [40053, 'BAD_USER_INPUT'],
  [40059, 'BAD_USER_INPUT'],
  [40060, 'BAD_USER_INPUT'],
  [40092, 'BAD_USER_INPUT'],
  [40097, 'BAD_USER_INPUT'],
  [40129, 'BAD_USER_INPUT'],
  [40130, 'BAD_USER_INPUT'],
  [40165, 'BAD_USER_INPUT'],
  [40169, 'BAD_USER_INPUT'],
  [40212, 'BAD_USER_INPUT'],
  [40241, 'ALREADY_SENT'],
  [41030, 'BAD_USER_INPUT'],
  [43004, 'RECIPIENT_NOT_SUBSCRIBED'],
  [43019, 'RECIPIENT_BLOCKED'],
  [43101, 'NO_CONSENT'],
  [44002, 'UPSTREAM_REJECTED'],
  [45028, 'RATE_LIMITED'],
  [45047, 'RATE_LIMITED'],
  [45056, 'BAD_USER_INPUT'],
  [45057, 'BAD_USER_INPUT'],
  [45058, 'BAD_USER_INPUT'],
  [45059, 'BAD_USER_INPUT'],
  [45063, 'UPSTREAM_MISCONFIGURED'],
  [45065, 'ALREADY_SENT'],
  [45066, 'RATE_LIMITED'],
  [45067, 'BAD_USER_INPUT'],
  [45157, 'BAD_USER_INPUT'],
  [45158, 'BAD_USER_INPUT'],
  [45159, 'BAD_USER_INPUT'],
  [47001, 'UPSTREAM_REJECTED'],
  [47003, 'BAD_USER_INPUT'],
  [49003, 'BAD_USER_INPUT'],
  [85079, 'UPSTREAM_MISCONFIGURED'],
  [85400, 'RATE_LIMITED'],
  [85401, 'BAD_USER_INPUT'],
  [85402, 'BAD_USER_INPUT'],
  [9500002, 'RATE_LIMITED'],
];

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
