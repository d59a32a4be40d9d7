/**
 * One subscriber's events: what it missed (from the log, after `after`), then live ones, in log
 * order with no gap and no duplicate. Live messages carry the id before them in the log; while
 * they follow on from the subscriber's position they are passed on as they are, and anything
 * else (a message out of order, one missed while Redis reconnected, a subscriber too slow to
 * keep its backlog in memory) is read back from the log. The consumer pulls: a slow one holds at
 * most `maxBuffered` live messages, then catches up from the log.
 */
import { Repeater } from 'graphql-yoga';
import type { EventBackend, LiveMessage } from './backend.js';
import { compareEventIds, LOG_START } from './event-ids.js';
import type { EventKind, WechatEventRecord } from './types.js';

/** The log no longer holds what came after the subscriber's position. */
export class EventsExpiredError extends Error {
  readonly after: string;

  constructor(after: string) {
    super(`events after ${after} are no longer kept`);
    this.after = after;
  }
}

export interface StreamOptions {
  backend: EventBackend;
  appId: string;
  /** Replay from after this id; null: live events from now on. */
  after: string | null;
  /** Only these kinds are passed on (all when undefined); the position moves past the others. */
  kinds?: ReadonlySet<EventKind>;
  pageSize?: number;
  maxBuffered?: number;
}

/** Index of the first buffered message beyond `cursor` (older ones were delivered already). */
function firstBeyond(buffer: readonly LiveMessage[], cursor: string): number {
  let index = 0;
  while (index < buffer.length && compareEventIds(buffer[index]?.event.id ?? '', cursor) <= 0) {
    index += 1;
  }
  return index;
}

/**
 * Live messages that follow on from `cursor`, taken off the buffer (one splice: a backlog of
 * thousands is not shifted one by one), or 'gap' when the log has to fill in.
 */
function takeFollowing(buffer: LiveMessage[], cursor: string): WechatEventRecord[] | 'gap' {
  const start = firstBeyond(buffer, cursor);
  const taken: WechatEventRecord[] = [];
  let position = cursor;
  let end = start;
  for (let message = buffer[end]; message && (message.prev ?? LOG_START) === position;) {
    taken.push(message.event);
    position = message.event.id;
    end += 1;
    message = buffer[end];
  }
  buffer.splice(0, end);
  return taken.length === 0 && buffer.length > 0 ? 'gap' : taken;
}

function takeBeyond(buffer: LiveMessage[], cursor: string): WechatEventRecord[] {
  const [head] = buffer.splice(0, firstBeyond(buffer, cursor) + 1).slice(-1);
  return head && compareEventIds(head.event.id, cursor) > 0 ? [head.event] : [];
}

/** Throws EventsExpiredError when the log trimmed events after `cursor`. */
async function assertKept(backend: EventBackend, appId: string, cursor: string): Promise<void> {
  const trimmed = await backend.trimmedThrough(appId);
  if (trimmed !== null && compareEventIds(cursor, trimmed) < 0)
    throw new EventsExpiredError(cursor);
}

export function eventStream(options: StreamOptions): Repeater<WechatEventRecord> {
  const { backend, appId, kinds } = options;
  const pageSize = options.pageSize ?? 500;
  const maxBuffered = options.maxBuffered ?? 10_000;
  return new Repeater<WechatEventRecord>(async (push, stop) => {
    let buffer: LiveMessage[] = [];
    let fromLog = options.after !== null;
    let confirming = false;
    let stopped = false;
    let wake: (() => void) | undefined;
    const signal = () => {
      wake?.();
      wake = undefined;
    };
    const watch = backend.watch(appId, (message) => {
      if (buffer.length >= maxBuffered) {
        buffer = [];
        fromLog = true;
      } else buffer.push(message);
      signal();
    });
    const stopResync = backend.onResync(() => {
      fromLog = true;
      signal();
    });
    void stop.then(() => {
      stopped = true;
      signal();
    });
    try {
      await Promise.race([watch.ready, stop]);
      if (stopped) return;
      let cursor = options.after ?? (await backend.lastId(appId)) ?? LOG_START;
      while (!stopped) {
        let batch: WechatEventRecord[];
        if (fromLog) {
          fromLog = false;
          await assertKept(backend, appId, cursor);
          batch = await backend.read(appId, cursor, pageSize);
          // A full page may have more behind it.
          if (batch.length === pageSize) fromLog = true;
          // Nothing in the log after the cursor, yet a live message beyond it. It may have
          // arrived after this read began: read once more. If the log still has nothing, the
          // message is not in it (emptied under us) and is passed on, not waited for forever.
          if (batch.length > 0 || buffer.length === 0) confirming = false;
          else if (!confirming) {
            confirming = true;
            fromLog = true;
            continue;
          } else {
            confirming = false;
            batch = takeBeyond(buffer, cursor);
          }
        } else {
          const taken = takeFollowing(buffer, cursor);
          if (taken === 'gap') {
            fromLog = true;
            continue;
          }
          batch = taken;
        }
        if (batch.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (stopped || fromLog || buffer.length > 0) signal();
          });
          continue;
        }
        for (const event of batch) {
          if (stopped) break;
          if (compareEventIds(event.id, cursor) <= 0) continue;
          cursor = event.id;
          if (!kinds || kinds.has(event.kind)) await push(event);
        }
      }
    } catch (error) {
      stop(error);
    } finally {
      watch.close();
      stopResync();
    }
  });
}
