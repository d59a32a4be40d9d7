import { systemClock, type Clock } from '../shared/clock.js';

/** A clock tests can move forward. */
export interface AdjustableClock extends Clock {
  advance(ms: number): void;
}

/**
 * Real time plus an offset that only grows: the clock of a standalone emulator, so that a test
 * can let WeChat's 300 s hand-over pass at once while everything else runs in real time.
 */
export function createOffsetClock(base: Clock = systemClock): AdjustableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance clock by ${ms} ms`);
      offset += ms;
    },
  };
}

/** Whether the `clock/advance` control can move this clock (a manual or an offset clock). */
export function isAdjustable(clock: Clock): clock is AdjustableClock {
  return 'advance' in clock && typeof clock.advance === 'function';
}
