/**
 * The in-process backend (memory and file token stores): a ring of the last `retain` events per
 * app, fan-out through an EventTarget in this process. De-duplication goes through the token
 * store's set-if-absent, so processes sharing a file store still log a repeated push once each
 * store-wide; live fan-out across processes needs Redis.
 */
import type { Clock } from '../shared/clock.js';
import type { TokenStore } from '../store/store.js';
import type { EventBackend, LiveMessage } from './backend.js';
import { seenKey } from './dedupe-key.js';
import { compareEventIds, createIdSequence } from './event-ids.js';
import { isUserNote } from './notes.js';
import type { WechatEventRecord } from './types.js';

interface Ring {
  events: WechatEventRecord[];
  /** Index of the oldest event in `events` (the array is compacted now and then). */
  start: number;
  trimmedThrough: string | null;
  nextId: () => string;
}

const channel = (appId: string) => `wechat-events:${appId}`;
const notes = (appId: string) => `user-notes:${appId}`;

function oldestAfter(ring: Ring, after: string | null): number {
  if (after === null) return ring.start;
  // Binary search: ids grow along the ring.
  let low = ring.start;
  let high = ring.events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const event = ring.events[middle];
    if (event && compareEventIds(event.id, after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function createMemoryEventBackend(deps: {
  store: TokenStore;
  clock: Clock;
  retain: number;
}): EventBackend {
  const rings = new Map<string, Ring>();
  const target = new EventTarget();
  const ring = (appId: string): Ring => {
    let found = rings.get(appId);
    if (!found) {
      found = {
        events: [],
        start: 0,
        trimmedThrough: null,
        nextId: createIdSequence(deps.clock.now),
      };
      rings.set(appId, found);
    }
    return found;
  };
  const push = (entry: Ring, record: WechatEventRecord): void => {
    entry.events.push(record);
    while (entry.events.length - entry.start > deps.retain) {
      entry.trimmedThrough = entry.events[entry.start]?.id ?? entry.trimmedThrough;
      entry.start += 1;
    }
    if (entry.start > 1024 && entry.start * 2 > entry.events.length) {
      entry.events = entry.events.slice(entry.start);
      entry.start = 0;
    }
  };
  return {
    kind: 'memory',
    async append(appId, event, dedupe) {
      const fresh = await deps.store.setIfAbsent(seenKey(appId, dedupe.key), '1', dedupe.ttlMs);
      if (!fresh) return 'duplicate';
      const entry = ring(appId);
      const prev = entry.events[entry.events.length - 1]?.id ?? null;
      const record: WechatEventRecord = { ...event, id: entry.nextId() };
      push(entry, record);
      const message: LiveMessage = { prev, event: record };
      target.dispatchEvent(new CustomEvent(channel(appId), { detail: message }));
      return message;
    },
    async read(appId, after, count) {
      const entry = ring(appId);
      const from = oldestAfter(entry, after);
      return entry.events.slice(from, from + count);
    },
    async lastId(appId) {
      const entry = ring(appId);
      return entry.events.length > entry.start ? (entry.events.at(-1)?.id ?? null) : null;
    },
    async trimmedThrough(appId) {
      return ring(appId).trimmedThrough;
    },
    watch(appId, listener) {
      const handler = (event: Event) => listener((event as CustomEvent<LiveMessage>).detail);
      target.addEventListener(channel(appId), handler);
      return {
        ready: Promise.resolve(),
        close: () => target.removeEventListener(channel(appId), handler),
      };
    },
    onResync: () => () => undefined,
    async announce(appId, note) {
      target.dispatchEvent(new CustomEvent(notes(appId), { detail: note }));
    },
    onNote(appId, listener) {
      const handler = (event: Event) => {
        const { detail } = event as CustomEvent<unknown>;
        if (isUserNote(detail)) listener(detail);
      };
      target.addEventListener(notes(appId), handler);
      return {
        ready: Promise.resolve(),
        close: () => target.removeEventListener(notes(appId), handler),
      };
    },
    async close() {
      rings.clear();
    },
  };
}
