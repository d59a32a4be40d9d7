/**
 * Event ids are Redis stream ids, `<ms>-<seq>`, in both logs: ordered per app, and what `after`
 * takes. The in-memory log makes them the way Redis does (never going back, even if the clock does).
 */

const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/;

export function isEventId(value: string): boolean {
  return EVENT_ID.test(value);
}

/** Ids reaching here came from a log or passed isEventId (`after` is checked first). */
function parts(id: string): [number, number] {
  const dash = id.indexOf('-');
  const ms = Number(id.slice(0, dash));
  const seq = Number(id.slice(dash + 1));
  if (dash < 1 || !Number.isSafeInteger(ms) || !Number.isSafeInteger(seq)) {
    throw new RangeError(`not an event id: ${id}`);
  }
  return [ms, seq];
}

/** Negative when `a` comes before `b`. */
export function compareEventIds(a: string, b: string): number {
  const [aMs, aSeq] = parts(a);
  const [bMs, bSeq] = parts(b);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** The position before every event: `after` with it reads from the start. */
export const LOG_START = '0-0';

/** Ids for one log: the clock's ms, and a sequence within the same (or an earlier) ms. */
export function createIdSequence(now: () => number): () => string {
  let lastMs = 0;
  let seq = 0;
  return () => {
    const ms = Math.floor(now());
    if (ms > lastMs) {
      lastMs = ms;
      seq = 0;
    } else {
      seq += 1;
    }
    return `${lastMs}-${seq}`;
  };
}
