/**
 * Draining, the first part of a shutdown: the instance tells load balancers it is going (GET
 * /readyz answers 503), tells keep-alive clients to reconnect elsewhere (every response carries
 * `Connection: close`) and, when the listener closes, ends its event streams cleanly (an SSE
 * stream gets its `complete` event instead of a cut connection). While the listener closes,
 * responses are held back for a moment (see http/shutdown.ts).
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export interface Drain {
  readonly draining: boolean;
  /** Why the instance is draining (e.g. "SIGTERM received"); undefined while serving. */
  readonly reason: string | undefined;
  /** Starts draining: /readyz turns 503 and responses close their connection. Idempotent. */
  begin(reason: string): void;
  /** Ends every open subscription stream (after the load balancers' delay). */
  endStreams(): void;
}

export interface DrainState extends Drain {
  /** Aborted by endStreams(). */
  readonly streamsEnded: AbortSignal;
  /**
   * Responses wait (headers and all) until the returned release is called: while the listener
   * closes, no client is told to reconnect. Releasing twice is harmless.
   */
  holdResponses(): () => void;
  /** Settles when held responses may go; undefined while none are held. */
  readonly responsesHeld: Promise<void> | undefined;
}

export function createDrain(): DrainState {
  let reason: string | undefined;
  const streams = new AbortController();
  let held: Promise<void> | undefined;
  return {
    get draining() {
      return reason !== undefined;
    },
    get reason() {
      return reason;
    },
    begin(why) {
      reason ??= why;
    },
    endStreams() {
      reason ??= 'shutting down';
      streams.abort();
    },
    streamsEnded: streams.signal,
    holdResponses() {
      let release = (): void => undefined;
      const hold = new Promise<void>((resolve) => (release = resolve));
      held = hold;
      return () => {
        if (held === hold) held = undefined;
        release();
      };
    },
    get responsesHeld() {
      return held;
    },
  };
}

/** `source` until it ends or `signal` aborts; the source is closed (return()) either way. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    for (;;) {
      const pending = iterator.next();
      // Still pending when the drain wins the race: its later failure is nobody's to handle.
      pending.catch(() => {});
      const next = await Promise.race([pending, aborted]);
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a source stuck in next() would hold return() (and the stream's end) behind it.
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/**
 * Connection: close while draining, responses held while the listener closes, and subscriptions
 * that end when the drain says so.
 */
export function useDrain(drain: DrainState): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilAborted(result, drain.streamsEnded));
        },
      };
    },
    onResponse({ response }) {
      if (drain.draining) response.headers.set('connection', 'close');
      return drain.responsesHeld;
    },
  };
}
