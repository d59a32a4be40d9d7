/**
 * A subscriber's stream over the in-memory backend: replay after an id then live without gap or
 * duplicate, repair of lost or reordered live messages from the log, a slow consumer served from
 * the log, type filters, and the error when the log no longer holds what `after` asks for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import type { EventBackend, LiveMessage } from '../../src/events/backend.js';
import { createMemoryEventBackend } from '../../src/events/memory-backend.js';
import { eventStream, EventsExpiredError } from '../../src/events/stream.js';
import type { EventKind, NewEvent, WechatEventRecord } from '../../src/events/types.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';

const APP = 'wx00000000000000a1';
let store: TokenStore | undefined;
afterEach(async () => {
  await store?.close();
});

async function memoryBackend(retain = 10_000): Promise<EventBackend> {
  const clock = createManualClock();
  store = await createTokenStore('memory', { clock });
  return createMemoryEventBackend({ store, clock, retain });
}

let counter = 0;
function event(kind: EventKind = 'MENU_CLICK'): NewEvent {
  counter += 1;
  return {
    kind,
    app: 'official',
    openid: `oUser${counter}`,
    createdAt: '2026-01-15T02:00:00.000Z',
    receivedAt: '2026-01-15T02:00:00.000Z',
    data: { key: `K${counter}` },
  };
}

async function append(backend: EventBackend, count: number, kind?: EventKind) {
  const records: WechatEventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const result = await backend.append(APP, event(kind), {
      key: `k${counter + 1}`,
      ttlMs: 60_000,
    });
    if (result === 'duplicate') throw new Error('duplicate');
    records.push(result.event);
  }
  return records;
}

async function take(stream: AsyncIterator<WechatEventRecord>, count: number) {
  const taken: WechatEventRecord[] = [];
  while (taken.length < count) {
    const next = await stream.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/** The backend with its live fan-out tampered with: messages dropped or held back. */
function tamperedLive(
  backend: EventBackend,
  deliver: (message: LiveMessage, listener: (m: LiveMessage) => void) => void,
): EventBackend {
  return {
    ...backend,
    watch: (appId, listener) => backend.watch(appId, (message) => deliver(message, listener)),
  };
}

describe('a subscriber stream', () => {
  it('replays exactly the events after `after`, in order, then live ones without gap or duplicate', async () => {
    const backend = await memoryBackend();
    const seen = await append(backend, 3);
    const missed = await append(backend, 50);
    const stream = eventStream({ backend, appId: APP, after: seen[2]?.id ?? null });
    expect(await take(stream, 50)).toEqual(missed);
    const live = await append(backend, 5);
    expect(await take(stream, 5)).toEqual(live);
    await stream.return();
  });

  it('starts at the end of the log without `after`', async () => {
    const backend = await memoryBackend();
    await append(backend, 3);
    const stream = eventStream({ backend, appId: APP, after: null });
    const first = stream.next();
    // Let the stream reach its starting point before anything new is logged.
    await new Promise((resolve) => setImmediate(resolve));
    const live = await append(backend, 2);
    expect((await first).value).toEqual(live[0]);
    expect(await take(stream, 1)).toEqual([live[1]]);
    await stream.return();
  });

  it('fills a lost live message in from the log', async () => {
    const inner = await memoryBackend();
    let dropped = 0;
    const backend = tamperedLive(inner, (message, listener) => {
      if (message.event.data['key'] === 'K-lost' || (dropped++ > 0 && dropped % 3 === 0)) return;
      listener(message);
    });
    const [start] = await append(inner, 1);
    const stream = eventStream({ backend, appId: APP, after: start?.id ?? null });
    const appended = await append(inner, 30);
    expect(await take(stream, 30)).toEqual(appended);
    await stream.return();
  });

  it('puts live messages that arrive out of order back in log order', async () => {
    const inner = await memoryBackend();
    let held: LiveMessage | undefined;
    const backend = tamperedLive(inner, (message, listener) => {
      if (held === undefined) {
        held = message;
        return;
      }
      listener(message);
      listener(held);
      held = undefined;
    });
    const [start] = await append(inner, 1);
    const stream = eventStream({ backend, appId: APP, after: start?.id ?? null });
    await new Promise((resolve) => setImmediate(resolve));
    const appended = await append(inner, 10);
    expect(await take(stream, 10)).toEqual(appended);
    await stream.return();
  });

  it('passes on a live message the log does not have rather than wait for it forever', async () => {
    const inner = await memoryBackend();
    const [start] = await append(inner, 1);
    let dropFirst = true;
    // A log emptied under the stream (say, a flushed Redis), and a live message that does not
    // follow on from the stream's position.
    const backend: EventBackend = {
      ...tamperedLive(inner, (message, listener) => {
        if (dropFirst) {
          dropFirst = false;
          return;
        }
        listener(message);
      }),
      read: async () => [],
    };
    const stream = eventStream({ backend, appId: APP, after: start?.id ?? null });
    const next = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    const [, second] = await append(inner, 2);
    expect((await next).value).toEqual(second);
    await stream.return();
  });

  it('serves a consumer that fell far behind from the log, holding few messages in memory', async () => {
    const backend = await memoryBackend();
    const [start] = await append(backend, 1);
    const stream = eventStream({
      backend,
      appId: APP,
      after: start?.id ?? null,
      maxBuffered: 5,
      pageSize: 7,
    });
    const first = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    const rest = await append(backend, 60);
    expect([(await first).value, ...(await take(stream, 59))]).toEqual(rest);
    await stream.return();
  });

  it('passes on only the kinds asked for', async () => {
    const backend = await memoryBackend();
    const [start] = await append(backend, 1);
    const stream = eventStream({
      backend,
      appId: APP,
      after: start?.id ?? null,
      kinds: new Set(['FOLLOW']),
    });
    await append(backend, 3, 'MENU_CLICK');
    const [follow] = await append(backend, 1, 'FOLLOW');
    await append(backend, 2, 'TEXT_MESSAGE');
    const [second] = await append(backend, 1, 'FOLLOW');
    expect(await take(stream, 2)).toEqual([follow, second]);
    await stream.return();
  });

  it('fails with EventsExpiredError when the log no longer holds what follows `after`', async () => {
    const backend = await memoryBackend(5);
    const [old] = await append(backend, 1);
    await append(backend, 10);
    const stream = eventStream({ backend, appId: APP, after: old?.id ?? null });
    await expect(stream.next()).rejects.toThrow(EventsExpiredError);
  });

  it('fails with EventsExpiredError when a slow consumer falls behind what the log keeps', async () => {
    const backend = await memoryBackend(5);
    const [start] = await append(backend, 1);
    const stream = eventStream({ backend, appId: APP, after: start?.id ?? null, maxBuffered: 2 });
    const first = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    const appended = await append(backend, 20);
    expect((await first).value).toEqual(appended[0]);
    await expect(take(stream, 19)).rejects.toThrow(EventsExpiredError);
  });

  it('ends at once when the consumer leaves while waiting', async () => {
    const backend = await memoryBackend();
    const stream = eventStream({ backend, appId: APP, after: null });
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
