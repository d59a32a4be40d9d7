export interface BackoffPolicy {
  /** Delay before the 2nd attempt; doubles each time. */
  baseMs: number;
  capMs: number;
}

/**
 * Capped exponential backoff with "equal jitter": between half and all of
 * min(cap, base · 2^(failures − 1)), so instances that failed together drift apart.
 */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** 45011 "retry next minute": the first instant of the next wall-clock minute. */
export function nextMinuteStart(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000 + 60_000;
}
