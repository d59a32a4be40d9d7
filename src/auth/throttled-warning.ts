import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';

/** A warning that is logged at most once per `intervalMs`, e.g. for every request during an outage. */
export function createThrottledWarning(
  logger: Logger,
  clock: Clock,
  message: string,
  intervalMs = 60_000,
): (error: unknown) => void {
  let lastAt = -Infinity;
  return (error) => {
    const now = clock.now();
    if (now - lastAt < intervalMs) return;
    lastAt = now;
    logger.warn({ err: error }, message);
  };
}
