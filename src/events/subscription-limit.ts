/**
 * At most `limit` live `wechatEvents` streams per caller on this instance. Each stream holds a
 * connection, a reader on the event log and a buffer, so one leaked or hostile service key could
 * otherwise open thousands. A stream counts from its start until it ends, however it ends.
 */
export const DEFAULT_SUBSCRIPTIONS_PER_CALLER = 50;

export class TooManySubscriptionsError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} live subscriptions per caller`);
  }
}

export interface SubscriptionLimit {
  readonly limit: number;
  /** The stream wrapped so it counts against `caller` while it runs; throws when full. */
  hold<T>(caller: string, stream: AsyncIterableIterator<T>): AsyncIterableIterator<T>;
  /** Live streams of `caller` (tests). */
  count(caller: string): number;
}

export function createSubscriptionLimit(
  limit = DEFAULT_SUBSCRIPTIONS_PER_CALLER,
): SubscriptionLimit {
  const live = new Map<string, number>();
  const release = (caller: string): void => {
    const left = (live.get(caller) ?? 1) - 1;
    if (left <= 0) live.delete(caller);
    else live.set(caller, left);
  };
  // A plain iterator, not a generator: a generator waiting for the next event would queue
  // `return()` until that event came, and the place would stay taken after the client left.
  const counted = <T>(
    caller: string,
    stream: AsyncIterableIterator<T>,
  ): AsyncIterableIterator<T> => {
    let released = false;
    const finish = (): void => {
      if (released) return;
      released = true;
      release(caller);
    };
    return {
      async next() {
        try {
          const result = await stream.next();
          if (result.done) finish();
          return result;
        } catch (error) {
          finish();
          throw error;
        }
      },
      return(value?: unknown) {
        finish();
        // Not awaited: the log reader ends on its own time, the place is free now.
        void stream.return?.();
        return Promise.resolve({ done: true, value: value as T });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
  return {
    limit,
    hold(caller, stream) {
      const current = live.get(caller) ?? 0;
      if (current >= limit) {
        void stream.return?.();
        throw new TooManySubscriptionsError(limit);
      }
      live.set(caller, current + 1);
      return counted(caller, stream);
    },
    count: (caller) => live.get(caller) ?? 0,
  };
}
