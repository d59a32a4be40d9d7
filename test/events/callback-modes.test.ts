/**
 * The callback modes and the replay of signed query strings (issue 20, finding 1). The URL's
 * `signature` covers only Token, timestamp and nonce: whoever captures one genuine query string
 * (a proxy log, http on port 80) holds a valid signature for 5 minutes. A callback with an
 * EncodingAESKey must not take a plaintext body under it (the downgrade), and no callback may
 * take a second, different body under it (the replay), while WeChat's own repeat of a push
 * (same query, same body) is still answered `success` and logged once.
 */
import { describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { buildPush, type PushMode, type PushRequest } from '../../src/emulator/push-wire.js';
import type { CallbackSettings } from '../../src/config/events.js';
import type { TokenStore } from '../../src/store/store.js';
import { OFFICIAL } from '../support/apps.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { MINUTE, SECOND } from '../support/time.js';
import { CALLBACK, GH_ID } from './helpers.js';

const BASE = 'http://gateway.test';
const OPENID = 'oEmuUser0000000000000000001';

type Target = Pick<Gateway, 'yoga'>;

const seconds = (gw: Gateway) => Math.floor(gw.clock.now() / 1000);
const head = (gw: Gateway, openid = OPENID) => ({ to: GH_ID, openid, createTime: seconds(gw) });

/** A push signed and (in compatible and safe mode) encrypted as WeChat sends it. */
function signed(gw: Gateway, message: Record<string, unknown>, mode: PushMode = 'safe') {
  return buildPush(
    message,
    { token: CALLBACK.token, encodingAesKey: CALLBACK.aesKeys[0], appId: OFFICIAL.appId },
    { mode, format: 'xml', timestamp: seconds(gw) },
  );
}

async function send(target: Target, query: URLSearchParams | string, body: string) {
  const response = await target.yoga.fetch(`${BASE}/wechat/callback/official?${String(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The signed part of a captured query, without `encrypt_type` and `msg_signature`. */
function urlSignatureOnly(push: PushRequest): URLSearchParams {
  const query = new URLSearchParams(push.query);
  query.delete('encrypt_type');
  query.delete('msg_signature');
  return query;
}

/** A plaintext message the attacker wrote: a follow of someone who never followed. */
const forged = (gw: Gateway) =>
  `<xml><ToUserName><![CDATA[${GH_ID}]]></ToUserName><FromUserName><![CDATA[oForged]]></FromUserName><CreateTime>${seconds(gw)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey></xml>`;

async function loggedOpenids(gw: Gateway): Promise<string[]> {
  const result = await gw.query<{ events: { nodes: { openid: string }[] } }>(
    '{ events { nodes { openid } } }',
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.events.nodes.map((node) => node.openid) ?? [];
}

const gatewayWith = (settings: CallbackSettings, wrapStore?: (store: TokenStore) => TokenStore) =>
  useGateway({
    events: { callbacks: { official: settings } },
    ...(wrapStore ? { wrapStore } : {}),
  });

describe('safe mode: the default with an EncodingAESKey', () => {
  const fx = gatewayWith(CALLBACK);

  it.each([
    ['without encrypt_type', undefined],
    ['with encrypt_type=raw', 'raw'],
  ])(
    'refuses a forged plaintext body under a captured query %s (the downgrade), logging nothing',
    async (_what, encryptType) => {
      const { gw } = fx;
      const genuine = signed(gw, pushMessages.menuClick(head(gw), 'GENUINE'));
      expect(await send(gw, genuine.query, genuine.body)).toEqual({ status: 200, text: 'success' });
      const query = urlSignatureOnly(genuine);
      if (encryptType) query.set('encrypt_type', encryptType);
      expect(await send(gw, query, forged(gw))).toEqual({
        status: 403,
        text: 'a plaintext push, but the callback is in safe mode',
      });
      expect(await loggedOpenids(gw)).toEqual([OPENID]);
    },
  );

  it('refuses a plaintext push even with a fresh, valid signature', async () => {
    const { gw } = fx;
    const plain = signed(gw, pushMessages.menuClick(head(gw), 'K'), 'plaintext');
    expect(await send(gw, plain.query, plain.body)).toEqual({
      status: 403,
      text: 'a plaintext push, but the callback is in safe mode',
    });
    expect(await loggedOpenids(gw)).toEqual([]);
  });

  it('takes compatible-mode bodies, using the decrypted copy and not the plaintext one', async () => {
    const { gw } = fx;
    const push = signed(gw, pushMessages.menuClick(head(gw), 'K'), 'compatible');
    // The plaintext copy is not covered by msg_signature: rewriting it changes nothing.
    const body = push.body.replace(`<![CDATA[${OPENID}]]>`, '<![CDATA[oForged]]>');
    expect(body).not.toBe(push.body);
    expect(await send(gw, push.query, body)).toEqual({ status: 200, text: 'success' });
    expect(await loggedOpenids(gw)).toEqual([OPENID]);
  });
});

describe('plain mode: a captured query carries one message only', () => {
  /** Keys and TTLs of the queries remembered, as the receiver writes them. */
  const remembered: { key: string; ttlMs: number }[] = [];
  const fx = gatewayWith({ token: CALLBACK.token, aesKeys: [] }, (store) => ({
    ...store,
    setIfAbsent: (key, value, ttlMs) => {
      if (key.includes(':nonce:')) remembered.push({ key, ttlMs });
      return store.setIfAbsent(key, value, ttlMs);
    },
  }));

  it('refuses the captured query with another body, on any instance, and logs nothing', async () => {
    const { gw } = fx;
    const genuine = signed(gw, pushMessages.menuClick(head(gw), 'GENUINE'), 'plaintext');
    expect(await send(gw, genuine.query, genuine.body)).toEqual({ status: 200, text: 'success' });
    const replay = { status: 403, text: 'a signed query already used for another message' };
    gw.clock.advance(2 * MINUTE);
    expect(await send(gw, genuine.query, forged(gw))).toEqual(replay);
    // Fleet-wide: another instance shares the store, and so the memory of the query.
    expect(await send(gw.instance(), genuine.query, forged(gw))).toEqual(replay);
    // However the signature's hex is cased, it is the same query.
    const upper = new URLSearchParams(genuine.query);
    upper.set('signature', (upper.get('signature') ?? '').toUpperCase());
    expect(await send(gw, upper, forged(gw))).toEqual(replay);
    expect(await loggedOpenids(gw)).toEqual([OPENID]);
  });

  it("answers WeChat's repeats (same query, same body) success and logs the push once", async () => {
    const { gw } = fx;
    const push = signed(gw, pushMessages.text(head(gw), 'hi', '24000000000000001'), 'plaintext');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await send(attempt === 1 ? gw.instance() : gw, push.query, push.body)).toEqual({
        status: 200,
        text: 'success',
      });
      gw.clock.advance(5 * SECOND);
    }
    expect(await loggedOpenids(gw)).toEqual([OPENID]);
  });

  it('refuses encrypted pushes (the key, if any, is not used)', async () => {
    const { gw } = fx;
    const push = signed(gw, pushMessages.menuClick(head(gw), 'K'), 'safe');
    expect(await send(gw, push.query, push.body)).toEqual({
      status: 403,
      text: 'an encrypted push, but the callback is in plain mode',
    });
  });

  it('forgets a query once its timestamp is refused anyway', async () => {
    const { gw } = fx;
    const push = signed(gw, pushMessages.menuClick(head(gw), 'K'), 'plaintext');
    remembered.length = 0;
    expect((await send(gw, push.query, push.body)).status).toBe(200);
    // The timestamp is accepted for 5 minutes after it; the record outlives that by a minute.
    expect(remembered.map((entry) => entry.ttlMs)).toEqual([6 * MINUTE]);
    const key = remembered[0]?.key ?? '';
    expect((await gw.store.get(key))?.ttlMs).toBe(6 * MINUTE);
    gw.clock.advance(6 * MINUTE + SECOND);
    expect(await gw.store.get(key)).toBeUndefined();
    expect(await send(gw, push.query, forged(gw))).toEqual({
      status: 403,
      text: 'timestamp more than 5 minutes off',
    });
  });
});

describe('compat mode: both kinds of push, for switching the console', () => {
  const fx = gatewayWith({ ...CALLBACK, mode: 'compat' });

  it('takes plaintext and encrypted pushes', async () => {
    const { gw } = fx;
    for (const mode of ['plaintext', 'compatible', 'safe'] as const) {
      const push = signed(gw, pushMessages.menuClick(head(gw, `o${mode}`), mode), mode);
      expect(await send(gw, push.query, push.body)).toEqual({ status: 200, text: 'success' });
    }
    expect(await loggedOpenids(gw)).toEqual(['oplaintext', 'ocompatible', 'osafe']);
  });

  it('refuses a forged plaintext body under the query of an encrypted push', async () => {
    const { gw } = fx;
    const genuine = signed(gw, pushMessages.menuClick(head(gw), 'GENUINE'), 'safe');
    expect((await send(gw, genuine.query, genuine.body)).status).toBe(200);
    expect(await send(gw, urlSignatureOnly(genuine), forged(gw))).toEqual({
      status: 403,
      text: 'a signed query already used for another message',
    });
    expect(await loggedOpenids(gw)).toEqual([OPENID]);
  });
});

describe('a store that cannot remember the query', () => {
  let failing = false;
  const fx = gatewayWith(CALLBACK, (store) => ({
    ...store,
    setIfAbsent: (key, value, ttlMs) =>
      failing && key.includes(':nonce:')
        ? Promise.reject(new Error('Redis did not answer'))
        : store.setIfAbsent(key, value, ttlMs),
  }));

  it('answers 503 (WeChat sends the push again), then takes the repeat', async () => {
    const { gw } = fx;
    const push = signed(gw, pushMessages.menuClick(head(gw), 'K'));
    failing = true;
    try {
      expect(await send(gw, push.query, push.body)).toEqual({
        status: 503,
        text: 'the event log is unavailable; retry',
      });
    } finally {
      failing = false;
    }
    expect(await loggedOpenids(gw)).toEqual([]);
    expect(await send(gw, push.query, push.body)).toEqual({ status: 200, text: 'success' });
    expect(await loggedOpenids(gw)).toEqual([OPENID]);
  });
});
