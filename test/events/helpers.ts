/**
 * Posting pushes to a gateway as WeChat would (through the emulator's wire format), and reading a
 * subscription over SSE as a client would.
 */
import { expect } from 'vitest';
import { pushMessages, type PushHeader } from '../../src/emulator/push-messages.js';
import {
  buildPush,
  type PushMode,
  type PushBodyFormat,
  type PushMessage,
} from '../../src/emulator/push-wire.js';
import type { CallbackSettings } from '../../src/config/events.js';
import type { UserChange } from '../../src/events/types.js';
import type { Gateway } from '../support/harness.js';
import { OFFICIAL } from '../support/apps.js';

export const CALLBACK: CallbackSettings = {
  token: 'wxEmuToken2024',
  aesKeys: ['EmuKey0123456789abcdefghijklmnopqrstuvwxyzA'],
};

export const GH_ID = 'gh_0123456789ab';

type Fetch = (url: string, init: RequestInit) => Promise<Response> | Response;

export interface PostOptions {
  mode?: PushMode;
  format?: PushBodyFormat;
  /** Unix seconds; default: `nowMs`. */
  timestamp?: number;
  app?: string;
  appId?: string;
  token?: string;
  encodingAesKey?: string;
  /** Changes the request after signing (to forge one). */
  tamper?: (request: { query: URLSearchParams; body: string }) => void;
}

export async function postPush(
  fetchFn: Fetch,
  base: string,
  nowMs: number,
  message: PushMessage,
  options: PostOptions = {},
): Promise<{ status: number; text: string }> {
  const built = buildPush(
    message,
    {
      token: options.token ?? CALLBACK.token,
      encodingAesKey: options.encodingAesKey ?? CALLBACK.aesKeys[0],
      appId: options.appId ?? OFFICIAL.appId,
    },
    {
      mode: options.mode ?? 'safe',
      format: options.format ?? 'xml',
      timestamp: options.timestamp ?? Math.floor(nowMs / 1000),
    },
  );
  const request = { query: new URLSearchParams(built.query), body: built.body };
  options.tamper?.(request);
  const response = await fetchFn(
    `${base}/wechat/callback/${options.app ?? 'official'}?${request.query.toString()}`,
    { method: 'POST', headers: { 'content-type': built.contentType }, body: request.body },
  );
  return { status: response.status, text: await response.text() };
}

/** A gateway of the harness, as far as posting pushes to it goes. */
export type PushTarget = Pick<Gateway, 'yoga' | 'clock'>;

/** The header of a push from the test account about `openid`, created now on `gw`'s clock. */
export function pushHead(gw: PushTarget, openid: string): PushHeader {
  return { to: GH_ID, openid, createTime: Math.floor(gw.clock.now() / 1000) };
}

/**
 * Posts follows (of `oWarm0`, `oWarm1`, …; 50 at the most, 20 ms apart) to `gw` until `heard` holds
 * a change. A user-change hook starts at the end of the event log once it has subscribed, so a
 * test that means to count what another instance hears posts these first.
 */
export async function postUntilHeard(gw: PushTarget, heard: readonly UserChange[]): Promise<void> {
  for (let tries = 0; tries < 50 && heard.length === 0; tries++) {
    await postPush(
      gw.yoga.fetch,
      'http://a.test',
      gw.clock.now(),
      pushMessages.follow(pushHead(gw, `oWarm${tries}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Once pushes posted to `a` reach `heardByB` (the hook of another instance on the same backend),
 * forgets those, posts an unfollow of `oGone` to `a` and expects exactly that change to reach
 * `heardByB`. Resolves to the gateway's answer to that post.
 */
export async function expectUnfollowReachesOther(
  a: PushTarget,
  heardByB: UserChange[],
): Promise<{ status: number; text: string }> {
  await postUntilHeard(a, heardByB);
  heardByB.length = 0;
  const pushed = await postPush(
    a.yoga.fetch,
    'http://a.test',
    a.clock.now(),
    pushMessages.unfollow(pushHead(a, 'oGone')),
  );
  await expect
    .poll(() => heardByB)
    .toEqual([{ app: 'official', openid: 'oGone', subscribed: false }]);
  return pushed;
}

export interface SseSubscription {
  /** The next `data` payload of an `event: next`. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Payloads received so far and not yet taken. */
  pending(): number;
  close(): Promise<void>;
}

/** Opens a GraphQL subscription over SSE (GraphQL over SSE, distinct connections mode). */
export async function subscribeSse(
  fetchFn: Fetch,
  url: string,
  query: string,
  headers: Record<string, string>,
  variables?: Record<string, unknown>,
  operationName?: string,
): Promise<SseSubscription> {
  const controller = new AbortController();
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
    signal: controller.signal,
  });
  if (!response.body) throw new Error(`no body (${response.status})`);
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    throw new Error(`not an event stream (${response.status}): ${await response.text()}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const payloads: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let ended: Error | undefined;
  let text = '';
  void (async () => {
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        text += read.value;
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (block.includes('event: next') && data !== '') payloads.push(JSON.parse(data));
          if (block.includes('event: complete')) ended = new Error('the subscription completed');
        }
        waiters.splice(0).forEach((wake) => wake());
      }
      ended ??= new Error('the stream ended');
    } catch (error) {
      ended = error instanceof Error ? error : new Error(String(error));
    }
    waiters.splice(0).forEach((wake) => wake());
  })();
  return {
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (payloads.length === 0) {
        if (ended) throw ended;
        if (Date.now() > deadline) throw new Error('no event within the deadline');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return payloads.shift() as Record<string, unknown>;
    },
    pending: () => payloads.length,
    async close() {
      controller.abort();
      await reader.cancel().catch(() => undefined);
    },
  };
}
