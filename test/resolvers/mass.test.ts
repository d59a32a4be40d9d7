/**
 * Mass sends through yoga.fetch against the emulator: audiences, message types, the clientMsgId
 * de-duplication WeChat offers (a repeat is sent once: RATE_LIMITED within a minute, ALREADY_SENT
 * with the first job's msgId after), no repeat by the gateway after a lost answer, preview,
 * status and delete.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../support/time.js';
import { MASS_SEND_API, MASS_SENDALL_API } from '../support/wechat-api.js';
import { codesOf, useGateway, type Gateway } from '../support/harness.js';
import { follower, MASS_SEND, massInput, NEWS_MEDIA } from '../support/operations.js';

type Sent = { massSend: { msgId: string; msgDataId: string | null } };

async function massSend(gw: Gateway, input: Record<string, unknown>) {
  return gw.query<Sent>(MASS_SEND, { variables: { input } });
}

describe('massSend', () => {
  const fx = useGateway();

  it('to all followers: one job, every follower reached', async () => {
    const { gw } = fx;
    const res = await massSend(gw, massInput('promo-2026-01'));
    expect(res.body.errors).toBeUndefined();
    const [job] = gw.emulator.sentMessages();
    expect(res.body.data?.massSend).toEqual({ msgId: job?.msgId, msgDataId: null });
    expect(job).toMatchObject({ kind: 'mass', msgType: 'text', clientMsgId: 'promo-2026-01' });
    expect(job?.to).toHaveLength(gw.emulator.followerOpenids(gw.official.appId).length);
  });

  it('to a tag, to openids, mpnews with a msgDataId', async () => {
    const { gw } = fx;
    const byTag = await massSend(gw, massInput('tag-102', { audience: { tagId: 102 } }));
    expect(byTag.body.errors).toBeUndefined();
    const openids = [follower(gw, 0), follower(gw, 1)];
    const news = await massSend(
      gw,
      massInput('news-1', {
        audience: { openids },
        message: { type: 'MPNEWS', mediaId: NEWS_MEDIA },
      }),
    );
    expect(news.body.data?.massSend.msgDataId).toEqual(expect.stringMatching(/^\d+$/));
    const [tagJob, newsJob] = gw.emulator.sentMessages();
    expect(tagJob?.to.length).toBeGreaterThan(0);
    expect(newsJob).toMatchObject({ to: openids, msgType: 'mpnews' });
    expect(gw.emulator.calls(MASS_SENDALL_API)).toBe(1);
    expect(gw.emulator.calls(MASS_SEND_API)).toBe(1);
  });

  it('the same clientMsgId twice sends once: RATE_LIMITED within a minute, then ALREADY_SENT with the msgId', async () => {
    const { gw } = fx;
    const first = await massSend(gw, massInput('promo-2026-01'));
    const msgId = first.body.data?.massSend.msgId;
    const soon = await massSend(gw, massInput('promo-2026-01'));
    expect(soon.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      wechat: { errcode: 45066 },
    });
    gw.clock.advance(61 * SECOND);
    const later = await massSend(gw, massInput('promo-2026-01'));
    expect(later.body.errors?.[0]?.extensions).toEqual({
      code: 'ALREADY_SENT',
      msgId,
      wechat: { errcode: 45065, rid: expect.any(String) },
    });
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it('a lost answer is not repeated; the same clientMsgId later tells that it went out', async () => {
    const { gw } = fx;
    await gw.official.tokens.getAccessToken();
    gw.emulator.dropResponseNext(MASS_SENDALL_API);
    const lost = await massSend(gw, massInput('promo-lost'));
    expect(codesOf(lost.body)).toEqual(['UPSTREAM_OUTCOME_UNKNOWN']);
    expect(gw.emulator.calls(MASS_SENDALL_API)).toBe(1);
    gw.clock.advance(61 * SECOND);
    const repeat = await massSend(gw, massInput('promo-lost'));
    const [job] = gw.emulator.sentMessages();
    expect(repeat.body.errors?.[0]?.extensions).toMatchObject({
      code: 'ALREADY_SENT',
      msgId: job?.msgId,
    });
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it('40001 → refreshed, retried once, one job', async () => {
    const { gw } = fx;
    gw.emulator.failNext(MASS_SENDALL_API, 1, { errcode: 40001 });
    const res = await massSend(gw, massInput('promo-token'));
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(MASS_SENDALL_API)).toBe(2);
    expect(gw.emulator.sentMessages()).toHaveLength(1);
  });

  it.each([
    ['one openid', { audience: { openids: ['oAAAAAAAAAAAAAAAAAAAAAAAAAAA'] } }],
    ['two audiences', { audience: { toAll: true, tagId: 100 } }],
    ['no audience', { audience: {} }],
    ['text without text', { message: { type: 'TEXT' } }],
    ['media without mediaId', { message: { type: 'IMAGE' } }],
    ['a long clientMsgId', { clientMsgId: 'x'.repeat(33) }],
  ])('%s → BAD_USER_INPUT before any call', async (_case, extra) => {
    const { gw } = fx;
    const res = await massSend(gw, massInput('bad-input', extra));
    expect(codesOf(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(gw.emulator.calls(MASS_SENDALL_API) + gw.emulator.calls(MASS_SEND_API)).toBe(0);
  });

  it.each([
    [
      'an unknown media id',
      { message: { type: 'VOICE', mediaId: 'nope' } },
      40007,
      'BAD_USER_INPUT',
    ],
    ['an unknown tag', { audience: { tagId: 999 } }, 45159, 'BAD_USER_INPUT'],
    [
      'an unknown openid',
      { audience: { openids: ['oUnknownUser00000000000001', 'oUnknownUser00000000000002'] } },
      40003,
      'BAD_USER_INPUT',
    ],
  ])('%s → %s', async (_case, extra, errcode, code) => {
    const res = await massSend(fx.gw, massInput('refused', extra));
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, wechat: { errcode } });
  });
});

describe('massPreview, massStatus, massDelete', () => {
  const fx = useGateway();

  it('preview to a follower and to a WeChat id', async () => {
    const { gw } = fx;
    const PREVIEW = `mutation ($input: MassPreviewInput!) { massPreview(input: $input) { msgId } }`;
    const message = { type: 'MPNEWS', mediaId: NEWS_MEDIA };
    const one = await gw.query(PREVIEW, {
      variables: { input: { openid: follower(gw), message } },
    });
    const two = await gw.query(PREVIEW, {
      variables: { input: { wxName: 'editor_wang', message } },
    });
    expect([one.body.errors, two.body.errors]).toEqual([undefined, undefined]);
    expect(gw.emulator.sentMessages().map((sent) => [sent.kind, sent.to])).toEqual([
      ['preview', [follower(gw)]],
      ['preview', ['wxname:editor_wang']],
    ]);
    const both = await gw.query(PREVIEW, {
      variables: { input: { openid: follower(gw), wxName: 'editor_wang', message } },
    });
    expect(codesOf(both.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('status moves from SENDING to SEND_SUCCESS, then DELETE after massDelete', async () => {
    const { gw } = fx;
    const sent = await massSend(
      gw,
      massInput('news-status', { message: { type: 'MPNEWS', mediaId: NEWS_MEDIA } }),
    );
    const msgId = sent.body.data?.massSend.msgId ?? '';
    const STATUS = `query ($msgId: ID!) { massStatus(msgId: $msgId) { msgId status } }`;
    const status = async () =>
      (await gw.query<{ massStatus: { status: string } }>(STATUS, { variables: { msgId } })).body
        .data?.massStatus.status;
    expect(await status()).toBe('SENDING');
    gw.clock.advance(61 * SECOND);
    expect(await status()).toBe('SEND_SUCCESS');
    const DELETE = `mutation ($msgId: ID!, $i: Int) { massDelete(msgId: $msgId, articleIndex: $i) }`;
    const bad = await gw.query(DELETE, { variables: { msgId, i: 5 } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 40060 } });
    const deleted = await gw.query(DELETE, { variables: { msgId } });
    expect(deleted.body.data).toEqual({ massDelete: true });
    expect(await status()).toBe('DELETE');
    const unknown = await gw.query(STATUS, { variables: { msgId: '12345' } });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 40059 },
    });
  });
});
