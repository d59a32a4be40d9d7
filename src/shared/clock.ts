/**
 * Time is injected everywhere (token provider, emulator, ledger) so tests move it instead of
 * sleeping. `now()` returns milliseconds since the Unix epoch.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  /** Move time forward by `ms` milliseconds (negative values are rejected). */
  advance(ms: number): void;
  /** Jump to an absolute time; may not go backwards. */
  set(ms: number): void;
}

/** A clock that only moves when told to. Defaults to a fixed, documented instant. */
export function createManualClock(startMs: number = Date.UTC(2026, 0, 15, 2, 0, 0)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance clock by ${ms} ms`);
      current += ms;
    },
    set(ms) {
      if (!Number.isFinite(ms) || ms < current) throw new RangeError('clock cannot go backwards');
      current = ms;
    },
  };
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * WeChat's day runs on Beijing time (UTC+8): quotas reset at 00:00 there. Returns `YYYY-MM-DD`.
 */
export function wechatDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant (ms) when the WeChat day containing `ms` ends. */
export function nextWechatDayStart(ms: number): number {
  const day = 24 * 60 * 60 * 1000;
  return Math.floor((ms + BEIJING_OFFSET_MS) / day) * day + day - BEIJING_OFFSET_MS;
}
