/**
 * The warning of a refused push, at most one line per app and reason per interval: a flood of
 * forged or broken pushes must not flood the log. The next line written for that app and reason
 * says how many were left out. Reasons are fixed strings (never a fragment of a body), so the
 * lines kept are bounded by apps × reasons.
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';

export const REFUSAL_LOG_INTERVAL_MS = 60 * 1000;

export type RefusalLog = (app: string, status: number, reason: string) => void;

export function createRefusalLog(
  logger: Logger,
  clock: Clock,
  intervalMs = REFUSAL_LOG_INTERVAL_MS,
): RefusalLog {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (app, status, reason) => {
    const key = `${app}\n${reason}`;
    const now = clock.now();
    const entry = last.get(key);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    last.set(key, { at: now, suppressed: 0 });
    if (suppressed === 0) {
      logger.warn({ app, status, reason }, 'push refused');
    } else {
      logger.warn(
        { app, status, reason, suppressed },
        `push refused (${suppressed} more refused for this reason since the last line were not logged)`,
      );
    }
  };
}
