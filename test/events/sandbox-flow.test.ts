/**
 * The sandbox end to end, over real sockets: the gateway composed as main.ts composes it in
 * sandbox mode, a service subscribed to `wechatEvents` over SSE, and the sandbox routes making
 * emulated users act; the emulator pushes each event to the gateway's callback URL in safe mode,
 * and the subscriber sees it typed. And the emulator's push itself: signed anew and sent again
 * when a callback does not answer `success` in time.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { systemClock } from '../../src/shared/clock.js';
import { createPushSender } from '../../src/emulator/push.js';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { createGatewayApps } from '../../src/apps/gateway-apps.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatHttp, type WechatHttp } from '../../src/wechat/http.js';
import { captureLogs } from '../support/log-capture.js';
import { testAccess } from '../support/harness.js';
import { CALLBACK, subscribeSse } from './helpers.js';
import { OFFICIAL } from '../support/apps.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${address.port}`;
}

async function startSandboxGateway(): Promise<{ base: string; serviceKey: string }> {
  const { logger } = captureLogs();
  const sandbox: Sandbox = await startSandbox(
    { tokenMode: 'stable', access: testAccess({ access: { serviceApiKeys: [] } }) },
    logger,
  );
  closers.push(() => sandbox.close());
  const http: WechatHttp = createWechatHttp({ baseUrl: sandbox.baseUrl });
  closers.push(() => http.close());
  const store: TokenStore = await createTokenStore('memory');
  closers.push(() => store.close());
  const { apps } = createGatewayApps(sandbox.appConfigs, {
    http,
    store,
    clock: systemClock,
    logger,
  });
  const yoga = createApp({
    apps,
    defaultApp: 'official',
    access: sandbox.access,
    store,
    clock: systemClock,
    logger,
    graphiql: true,
    ...sandbox.extensions,
  });
  const base = await listen(createServer(yoga));
  const serviceKey = sandbox.access.serviceApiKeys[0];
  if (serviceKey === undefined) throw new Error('the sandbox made no service key');
  return { base, serviceKey };
}

const SUBSCRIPTION = /* GraphQL */ `
  subscription {
    wechatEvents {
      __typename
      openid
      ... on FollowEvent {
        qrScene
        qrTicket
      }
      ... on MenuClickEvent {
        key
      }
      ... on TextMessage {
        msgId
        content
      }
    }
  }
`;

describe('the sandbox event flow', () => {
  it('shows a follow through a QR scene, a menu tap, a text and an unfollow on a live subscription', async () => {
    const { base, serviceKey } = await startSandboxGateway();
    const sub = await subscribeSse(fetch, `${base}/graphql`, SUBSCRIPTION, {
      authorization: `Bearer ${serviceKey}`,
    });
    closers.push(() => sub.close());
    const act = async (route: string) => {
      const res = await fetch(`${base}/sandbox/events/${route}`, { method: 'POST' });
      const body = (await res.json()) as {
        delivered: boolean;
        openid: string;
        attempts: unknown[];
      };
      expect({ status: res.status, delivered: body.delivered, attempts: body.attempts }).toEqual({
        status: 200,
        delivered: true,
        attempts: [{ status: 200, body: 'success' }],
      });
      return body.openid;
    };
    // The subscription starts at the end of the log once it is set up: taps until one arrives.
    for (let tries = 0; tries < 50; tries++) {
      await act('menu-click?key=WARMUP');
      if (
        await sub.next(200).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    const newcomer = await act('follow?scene=spring-promo');
    const follower = await act('menu-click?key=V1001_GOOD');
    await act('text?content=%E4%BD%A0%E5%A5%BD');
    await act('unfollow');
    const events: Record<string, unknown>[] = [];
    while (events.length < 4) {
      const payload = await sub.next();
      const event = (payload['data'] as { wechatEvents: Record<string, unknown> }).wechatEvents;
      if (event['key'] !== 'WARMUP') events.push(event);
    }
    expect(events).toEqual([
      {
        __typename: 'FollowEvent',
        openid: newcomer,
        qrScene: 'spring-promo',
        qrTicket: 'gQEmuspring-promo',
      },
      { __typename: 'MenuClickEvent', openid: follower, key: 'V1001_GOOD' },
      {
        __typename: 'TextMessage',
        openid: follower,
        msgId: expect.stringMatching(/^\d{17}$/),
        content: '你好',
      },
      { __typename: 'UnfollowEvent', openid: follower },
    ]);
    expect(newcomer).not.toBe(follower);
  });

  it('pushes to the mini program in JSON (safe mode), logged for its app', async () => {
    const { base, serviceKey } = await startSandboxGateway();
    const res = await fetch(`${base}/sandbox/events/text?app=miniprogram&content=hi`, {
      method: 'POST',
    });
    expect(await res.json()).toMatchObject({ app: 'miniprogram', delivered: true });
    const logged = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceKey}` },
      body: JSON.stringify({
        query:
          '{ events(app: "miniprogram") { nodes { __typename app ... on TextMessage { content } } } }',
      }),
    });
    expect(await logged.json()).toEqual({
      data: {
        events: { nodes: [{ __typename: 'TextMessage', app: 'miniprogram', content: 'hi' }] },
      },
    });
  });

  it('answers 400 for an unknown app and 405 for other methods', async () => {
    const { base } = await startSandboxGateway();
    const unknown = await fetch(`${base}/sandbox/events/follow?app=shop`);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: expect.stringContaining('Unknown app "shop"') });
    expect((await fetch(`${base}/sandbox/events/follow`, { method: 'PUT' })).status).toBe(405);
  });
});

describe("the emulator's push", () => {
  it('sends again, signed anew, until a try is answered success, at most 3 tries', async () => {
    const seen: string[] = [];
    const answers = ['hang', 'error', 'success'];
    const base = await listen(
      createServer((req, res) => {
        seen.push(req.url ?? '');
        const answer = answers[seen.length - 1];
        if (answer === 'hang') return; // never answered: the sender gives up on this try
        if (answer === 'error') {
          res.writeHead(500).end('oops');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      }),
    );
    const sender = createPushSender({ clock: systemClock, timeoutMs: 200 });
    const target = {
      url: `${base}/wechat/callback/official`,
      token: CALLBACK.token,
      encodingAesKey: CALLBACK.aesKeys[0],
      appId: OFFICIAL.appId,
      mode: 'safe' as const,
      format: 'xml' as const,
    };
    const message = pushMessages.menuClick({ to: 'gh_x', openid: 'oUser', createTime: 1 }, 'K');
    const delivery = await sender.push(target, message);
    expect(delivery).toEqual({
      delivered: true,
      attempts: [
        { error: 'timeout' },
        { status: 500, body: 'oops' },
        { status: 200, body: 'success' },
      ],
    });
    const nonces = seen.map((url) => new URL(url, base).searchParams.get('nonce'));
    expect(new Set(nonces).size).toBe(3);
    for (const url of seen) {
      const query = new URL(url, base).searchParams;
      expect(query.get('encrypt_type')).toBe('aes');
      expect(query.get('msg_signature')).toMatch(/^[0-9a-f]{40}$/);
    }

    seen.length = 0;
    answers.splice(0, 3, 'error', 'error', 'error');
    expect((await sender.push(target, message)).delivered).toBe(false);
    expect(seen).toHaveLength(3);
  });
});
