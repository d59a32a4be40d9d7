/**
 * The callback URL: verification, the three modes in XML and JSON, the refusals (each a 4xx,
 * nothing delivered, the gateway still serving), de-duplication of WeChat's repeats, typed and
 * unknown events. Through yoga.fetch with the manual clock; the log is the in-memory one. The
 * callback runs in compat mode here, which takes what each of WeChat's modes sends (what the
 * gateway's modes accept and refuse is in callback-modes.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { pushMessages } from '../../src/emulator/push-messages.js';
import type { EventBackend } from '../../src/events/backend.js';
import { createMemoryEventBackend } from '../../src/events/memory-backend.js';
import { createTokenStore } from '../../src/store/open.js';
import { encryptMessage, wechatSignature } from '../../src/events/crypto.js';
import { toXml } from '../../src/emulator/push-wire.js';
import { useGateway, type Gateway } from '../support/harness.js';
import { MINUTE, SECOND } from '../support/time.js';
import { CALLBACK, GH_ID, postPush, subscribeSse, type PostOptions } from './helpers.js';

const BASE = 'http://gateway.test';
const OPENID = 'oEmuUser0000000000000000001';

const EVENTS_QUERY = /* GraphQL */ `
  query Events($after: ID, $types: [WechatEventType!]) {
    events(after: $after, types: $types) {
      nodes {
        __typename
        id
        app
        openid
        createdAt
        receivedAt
        ... on TextMessage {
          msgId
          content
        }
        ... on FollowEvent {
          qrScene
          qrTicket
        }
        ... on MenuClickEvent {
          key
        }
        ... on UnknownWechatEvent {
          msgType
          event
          fields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const gateway = useGateway({
  events: { callbacks: { official: { ...CALLBACK, mode: 'compat' } } },
});

const seconds = (gw: Gateway) => Math.floor(gw.clock.now() / 1000);
const head = (gw: Gateway, openid = OPENID) => ({
  to: GH_ID,
  openid,
  createTime: seconds(gw),
});

function post(gw: Gateway, message: Record<string, unknown>, options: PostOptions = {}) {
  return postPush(gw.yoga.fetch, BASE, gw.clock.now(), message, options);
}

async function logged(gw: Gateway, variables: Record<string, unknown> = {}) {
  const result = await gw.query<{ events: { nodes: Record<string, unknown>[] } }>(EVENTS_QUERY, {
    variables,
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.events.nodes ?? [];
}

describe('URL verification', () => {
  it('answers echostr exactly when the signature is right, and refuses it otherwise', async () => {
    const { gw } = gateway;
    const timestamp = String(seconds(gw));
    const signature = wechatSignature(CALLBACK.token, timestamp, '1234567890');
    const url = (sig: string) =>
      `${BASE}/wechat/callback/official?signature=${sig}&timestamp=${timestamp}&nonce=1234567890&echostr=7052137424352937187`;
    const ok = await gw.yoga.fetch(url(signature));
    expect([ok.status, await ok.text()]).toEqual([200, '7052137424352937187']);
    const bad = await gw.yoga.fetch(url('0'.repeat(40)));
    expect([bad.status, await bad.text()]).toEqual([403, 'bad signature']);
  });
});

describe('pushes in every mode and format', () => {
  it.each([
    ['plaintext', 'xml'],
    ['plaintext', 'json'],
    ['compatible', 'xml'],
    ['compatible', 'json'],
    ['safe', 'xml'],
    ['safe', 'json'],
  ] as const)(
    '%s %s: answered success and logged once, 64-bit MsgId exact',
    async (mode, format) => {
      const { gw } = gateway;
      const message = pushMessages.text(head(gw), 'hello from emulator', '24000000000000001');
      expect(await post(gw, message, { mode, format })).toEqual({ status: 200, text: 'success' });
      const [event, ...rest] = await logged(gw);
      expect(rest).toEqual([]);
      expect(event).toEqual({
        __typename: 'TextMessage',
        id: expect.stringMatching(/^\d+-\d+$/),
        app: 'official',
        openid: OPENID,
        createdAt: new Date(seconds(gw) * 1000).toISOString(),
        receivedAt: new Date(gw.clock.now()).toISOString(),
        msgId: '24000000000000001',
        content: 'hello from emulator',
      });
    },
  );

  it('types a follow through a QR scene and keeps an unknown event whole', async () => {
    const { gw } = gateway;
    const follow = pushMessages.follow(head(gw), { scene: '42', ticket: 'gQH47joAAAAA' });
    expect((await post(gw, follow)).status).toBe(200);
    const odd = {
      ...head(gw),
      ToUserName: GH_ID,
      FromUserName: OPENID,
      CreateTime: seconds(gw),
      MsgType: 'event',
      Event: 'user_pay_from_pay_cell',
      TransId: '4200001234',
      Extra: { Nested: 'yes' },
    };
    expect((await post(gw, odd, { format: 'json' })).status).toBe(200);
    const [followed, unknown] = await logged(gw);
    expect(followed).toMatchObject({
      __typename: 'FollowEvent',
      qrScene: '42',
      qrTicket: 'gQH47joAAAAA',
    });
    expect(unknown).toMatchObject({
      __typename: 'UnknownWechatEvent',
      msgType: 'event',
      event: 'user_pay_from_pay_cell',
      fields: {
        ToUserName: GH_ID,
        FromUserName: OPENID,
        CreateTime: String(seconds(gw)),
        MsgType: 'event',
        Event: 'user_pay_from_pay_cell',
        TransId: '4200001234',
        Extra: { Nested: 'yes' },
      },
    });
  });

  it('delivers a push WeChat repeats three times once', async () => {
    const { gw } = gateway;
    const sub = await subscribeSse(
      gw.yoga.fetch,
      `${BASE}/graphql`,
      'subscription { wechatEvents { id openid } }',
      {
        authorization: `Bearer ${gw.access.serviceApiKeys[0]}`,
      },
    );
    try {
      const click = pushMessages.menuClick(head(gw), 'V1001_GOOD');
      for (let attempt = 0; attempt < 3; attempt++) {
        // Each try is signed anew (another timestamp and nonce), the message is the same.
        expect(await post(gw, click)).toEqual({ status: 200, text: 'success' });
        gw.clock.advance(5 * SECOND);
      }
      const text = pushMessages.text(head(gw), 'again', '24000000000000002');
      for (let attempt = 0; attempt < 3; attempt++) await post(gw, text, { mode: 'plaintext' });
      expect((await logged(gw)).map((event) => event['__typename'])).toEqual([
        'MenuClickEvent',
        'TextMessage',
      ]);
      const first = await sub.next();
      const second = await sub.next();
      expect(
        [first, second].map(
          (p) => (p['data'] as { wechatEvents: { openid: string } }).wechatEvents.openid,
        ),
      ).toEqual([OPENID, OPENID]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sub.pending()).toBe(0);
    } finally {
      await sub.close();
    }
  });
});

describe('refused pushes', () => {
  const wrongAppEncrypt = (gw: Gateway) =>
    encryptMessage(
      toXml(pushMessages.text(head(gw), 'x', '1')),
      CALLBACK.aesKeys[0] ?? '',
      'wx0000000000000bad',
    );

  const refusals: [
    string,
    number,
    string,
    (gw: Gateway) => Promise<{ status: number; text: string }>,
  ][] = [
    [
      'a bad signature',
      403,
      'bad signature',
      (gw) => post(gw, pushMessages.menuClick(head(gw), 'K'), { token: 'otherToken' }),
    ],
    [
      'a body that is not the signed one (safe mode)',
      403,
      'bad msg_signature',
      (gw) =>
        post(gw, pushMessages.menuClick(head(gw), 'K'), {
          tamper: (request) => {
            // One character of Encrypt changed (always to another one).
            request.body = request.body.replace(
              /(<Encrypt><!\[CDATA\[)(.)/,
              (_match, open: string, first: string) => `${open}${first === 'A' ? 'B' : 'A'}`,
            );
          },
        }),
    ],
    [
      'a message encrypted for another appid',
      403,
      'the message is for another appid',
      (gw) =>
        post(gw, pushMessages.menuClick(head(gw), 'K'), {
          mode: 'plaintext',
          tamper: (request) => {
            const encrypt = wrongAppEncrypt(gw);
            const { timestamp, nonce } = Object.fromEntries(request.query);
            request.query.set('encrypt_type', 'aes');
            request.query.set(
              'msg_signature',
              wechatSignature(CALLBACK.token, timestamp ?? '', nonce ?? '', encrypt),
            );
            request.body = toXml({ ToUserName: GH_ID, Encrypt: encrypt });
          },
        }),
    ],
    [
      'a timestamp 5 minutes and 1 second old',
      403,
      'timestamp more than 5 minutes off',
      (gw) => post(gw, pushMessages.menuClick(head(gw), 'K'), { timestamp: seconds(gw) - 301 }),
    ],
    [
      'a timestamp 5 minutes and 1 second ahead',
      403,
      'timestamp more than 5 minutes off',
      (gw) => post(gw, pushMessages.menuClick(head(gw), 'K'), { timestamp: seconds(gw) + 301 }),
    ],
    [
      'malformed XML',
      400,
      'not well-formed XML',
      (gw) =>
        post(
          gw,
          {},
          {
            mode: 'plaintext',
            tamper: (request) => void (request.body = '<xml><MsgType>text</xml>'),
          },
        ),
    ],
    [
      'XML with a DOCTYPE (entity expansion)',
      400,
      'XML with a DOCTYPE',
      (gw) =>
        post(
          gw,
          {},
          {
            mode: 'plaintext',
            tamper: (request) =>
              void (request.body =
                '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><MsgType>&a;</MsgType></xml>'),
          },
        ),
    ],
    [
      'a JSON array body',
      400,
      'the body is neither XML nor JSON',
      (gw) =>
        post(gw, {}, { mode: 'plaintext', format: 'json', tamper: (r) => void (r.body = '[1,2]') }),
    ],
    [
      'a push without FromUserName',
      400,
      'FromUserName, CreateTime or MsgType is missing',
      (gw) =>
        post(gw, { ToUserName: GH_ID, CreateTime: seconds(gw), MsgType: 'text', Content: 'x' }),
    ],
    [
      'an oversized body (65 kB)',
      413,
      'body too large',
      (gw) =>
        post(gw, pushMessages.text(head(gw), 'x'.repeat(65 * 1024), '3'), { mode: 'plaintext' }),
    ],
    [
      'an app without a callback',
      404,
      'no callback is configured for this app',
      (gw) => post(gw, pushMessages.menuClick(head(gw), 'K'), { app: 'miniprogram' }),
    ],
  ];

  it.each(refusals)(
    '%s: %i, nothing delivered, the gateway goes on',
    async (_what, status, reason, send) => {
      const { gw } = gateway;
      const sub = await subscribeSse(
        gw.yoga.fetch,
        `${BASE}/graphql`,
        'subscription { wechatEvents { __typename id } }',
        {
          authorization: `Bearer ${gw.access.serviceApiKeys[0]}`,
        },
      );
      try {
        const refused = await send(gw);
        expect(refused).toEqual({ status, text: reason });
        expect(await logged(gw)).toEqual([]);
        // Still healthy: the next good push is accepted and is the first thing the subscriber sees.
        expect(await post(gw, pushMessages.menuClick(head(gw), 'AFTER'))).toEqual({
          status: 200,
          text: 'success',
        });
        const payload = await sub.next();
        expect(payload).toEqual({
          data: { wechatEvents: { __typename: 'MenuClickEvent', id: expect.any(String) } },
        });
        expect((await logged(gw)).length).toBe(1);
      } finally {
        await sub.close();
      }
    },
  );

  it('accepts a timestamp exactly 5 minutes off', async () => {
    const { gw } = gateway;
    const click = pushMessages.menuClick(head(gw), 'EDGE');
    expect((await post(gw, click, { timestamp: seconds(gw) - 300 })).status).toBe(200);
    gw.clock.advance(MINUTE);
  });
});

describe('a push the log cannot take', () => {
  let failNext = 0;
  let failReads = false;
  const clock = createManualClock();
  const storePromise = createTokenStore('memory', { clock });
  let backend: EventBackend | undefined;
  const flaky: EventBackend = {
    kind: 'memory',
    append: (...args) => {
      if (failNext > 0) {
        failNext -= 1;
        return Promise.reject(new Error('Redis did not answer'));
      }
      return (backend as EventBackend).append(...args);
    },
    read: (...args) =>
      failReads
        ? Promise.reject(new Error('Redis did not answer'))
        : (backend as EventBackend).read(...args),
    lastId: (appId) => (backend as EventBackend).lastId(appId),
    trimmedThrough: (appId) => (backend as EventBackend).trimmedThrough(appId),
    watch: (appId, listener) => (backend as EventBackend).watch(appId, listener),
    onResync: (listener) => (backend as EventBackend).onResync(listener),
    announce: (...args) => (backend as EventBackend).announce(...args),
    onNote: (...args) => (backend as EventBackend).onNote(...args),
    close: async () => undefined,
  };
  const fx = useGateway({ events: { callbacks: { official: CALLBACK }, backend: flaky } });

  it('is answered 503 (WeChat sends it again), and the repeat is logged once', async () => {
    const store = await storePromise;
    backend ??= createMemoryEventBackend({ store, clock, retain: 100 });
    const { gw } = fx;
    const message = pushMessages.text(head(gw), 'retry me', '24000000000000009');
    failNext = 1;
    expect(await post(gw, message)).toEqual({
      status: 503,
      text: 'the event log is unavailable; retry',
    });
    expect(await logged(gw)).toEqual([]);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await post(gw, message)).toEqual({ status: 200, text: 'success' });
    }
    expect((await logged(gw)).map((event) => event['content'])).toEqual(['retry me']);
    expect(gw.logs.join('\n')).toContain('answered 503, WeChat will send it again');
  });

  it('fails `events` with UPSTREAM_UNAVAILABLE while the log cannot be read', async () => {
    const store = await storePromise;
    backend ??= createMemoryEventBackend({ store, clock, retain: 100 });
    failReads = true;
    try {
      const result = await fx.gw.query('{ events { nodes { id } } }');
      expect(result.body).toEqual({
        data: null,
        errors: [
          expect.objectContaining({
            message: 'The event log could not be read; retry shortly.',
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          }),
        ],
      });
    } finally {
      failReads = false;
    }
  });
});

describe('an EncodingAESKey rotation', () => {
  const previous = 'Prev0123456789abcdefghijklmnopqrstuvwxyzABC';
  const fx = useGateway({
    events: {
      callbacks: { official: { token: CALLBACK.token, aesKeys: [...CALLBACK.aesKeys, previous] } },
    },
  });

  it('accepts pushes encrypted with the current or the previous key', async () => {
    const { gw } = fx;
    const old = pushMessages.menuClick(head(gw), 'OLD');
    const current = pushMessages.menuClick(head(gw), 'NEW');
    expect((await post(gw, old, { encodingAesKey: previous })).status).toBe(200);
    expect((await post(gw, current)).status).toBe(200);
    expect((await logged(gw)).map((event) => event['key'])).toEqual(['OLD', 'NEW']);
  });
});
