/**
 * Where accepted events go: a capped log per app (Redis Streams, or a ring in memory) and the
 * live fan-out to every instance's subscribers. Appending is atomic with the de-duplication check
 * and with the fan-out, so each push is logged and announced once, in log order.
 */
import type { NewEvent, UserNote, WechatEventRecord } from './types.js';

/** What subscribers hear live: the event and the id before it in the log (null: none). */
export interface LiveMessage {
  readonly prev: string | null;
  readonly event: WechatEventRecord;
}

export interface Dedupe {
  /** Distinct per push (hashed before it reaches the store). */
  readonly key: string;
  /** How long a key is remembered: longer than WeChat keeps retrying. */
  readonly ttlMs: number;
}

export interface LiveWatch {
  /** Resolves once messages of this app published from now on reach the listener. */
  readonly ready: Promise<void>;
  close(): void;
}

export interface EventBackend {
  readonly kind: 'memory' | 'redis';
  /** Logs and announces the event unless `dedupe.key` was seen; 'duplicate' then. */
  append(appId: string, event: NewEvent, dedupe: Dedupe): Promise<LiveMessage | 'duplicate'>;
  /** Up to `count` events strictly after `after` (null: from the oldest kept), in log order. */
  read(appId: string, after: string | null, count: number): Promise<WechatEventRecord[]>;
  /** The newest id in the app's log; null when it is empty. */
  lastId(appId: string): Promise<string | null>;
  /** The newest id trimmed off the app's log (null: none yet): events after an older `after` are lost. */
  trimmedThrough(appId: string): Promise<string | null>;
  /** Live messages of one app, from every instance sharing the backend. */
  watch(appId: string, listener: (message: LiveMessage) => void): LiveWatch;
  /**
   * Called when live messages may have been missed (the Redis subscription was re-established):
   * watchers catch up from the log. Returns a function that removes the listener.
   */
  onResync(listener: () => void): () => void;
  /** Tells every instance sharing the backend (this one included) that users changed. */
  announce(appId: string, note: UserNote): Promise<void>;
  /** Notes announced for this app, by any instance; missed ones are not replayed. */
  onNote(appId: string, listener: (note: UserNote) => void): LiveWatch;
  close(): Promise<void>;
}
