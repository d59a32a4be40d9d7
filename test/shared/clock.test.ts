import { describe, expect, it } from 'vitest';
import { createManualClock, nextWechatDayStart, wechatDay } from '../../src/shared/clock.js';

describe('WeChat day (UTC+8)', () => {
  it('turns over at 16:00 UTC, which is midnight in Beijing', () => {
    expect(wechatDay(Date.UTC(2026, 0, 15, 15, 59, 59, 999))).toBe('2026-01-15');
    expect(wechatDay(Date.UTC(2026, 0, 15, 16, 0, 0))).toBe('2026-01-16');
  });

  it('gives the next boundary strictly after the instant', () => {
    const t = Date.UTC(2026, 0, 15, 2, 0, 0);
    expect(nextWechatDayStart(t)).toBe(Date.UTC(2026, 0, 15, 16, 0, 0));
    expect(nextWechatDayStart(Date.UTC(2026, 0, 15, 16, 0, 0))).toBe(Date.UTC(2026, 0, 16, 16));
  });
});

describe('createManualClock', () => {
  it('only moves when told, and never backwards', () => {
    const clock = createManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(2000);
    expect(clock.now()).toBe(2000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(1999)).toThrow(RangeError);
  });
});
