import lockfile from 'proper-lockfile';

export interface FileLockTiming {
  /**
   * A lock whose directory has not been touched for this long belongs to a process that died
   * (or froze): the next process removes it and takes over. The holder refreshes it every
   * `staleMs / 2` (proper-lockfile's default), and holds it for one read-modify-write, i.e.
   * milliseconds. proper-lockfile accepts no less than 2 s.
   */
  staleMs: number;
  /**
   * How long an operation waits for the lock before it fails (the token provider then carries
   * on as with any store failure). Longer than `staleMs`, so the lock of a process that died
   * while holding it is taken over within one wait.
   */
  waitMs: number;
}

export const DEFAULT_FILE_LOCK_TIMING: FileLockTiming = { staleMs: 5_000, waitMs: 7_000 };

/** The lock of `target`: a directory next to it. */
export const lockPathOf = (target: string): string => `${target}.lock`;

/** Runs `task` while this process holds the lock; `stillHeld()` is false once it was lost. */
export type FileLockRunner = <T>(task: (stillHeld: () => boolean) => Promise<T>) => Promise<T>;

// Retry delays: 2 ms growing to 40 ms (each randomized up to twice that). Contention lasts a few
// ms per holder, so short first delays matter; `maxRetryTime` bounds the whole wait, and the
// count only has to be large enough never to end it first (8 growing steps, then >= 40 ms each).
const MIN_RETRY_MS = 2;
const MAX_RETRY_MS = 40;
const RETRY_FACTOR = 1.5;
const retriesFor = (waitMs: number): number => 8 + Math.ceil(waitMs / MAX_RETRY_MS);

/**
 * A cross-process lock on `target` (a directory `<target>.lock`, created with mkdir, which is
 * atomic), through proper-lockfile: it refreshes the lock's mtime while held, takes over a stale
 * one and removes held locks when the process exits on a signal.
 */
export function createFileLock(target: string, timing: FileLockTiming): FileLockRunner {
  const lockfilePath = lockPathOf(target);
  return async (task) => {
    let lost = false;
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(target, {
        lockfilePath,
        // The target is replaced by rename on every write: lock a path, not what it points to.
        realpath: false,
        stale: timing.staleMs,
        retries: {
          retries: retriesFor(timing.waitMs),
          factor: RETRY_FACTOR,
          minTimeout: MIN_RETRY_MS,
          maxTimeout: MAX_RETRY_MS,
          randomize: true,
          maxRetryTime: timing.waitMs,
        },
        // Another process judged this lock stale (this one froze longer than `staleMs`): stop
        // writing under it. The default handler would throw from a timer and crash the process.
        onCompromised: () => {
          lost = true;
        },
      });
    } catch (error) {
      if (isCode(error, 'ELOCKED')) {
        throw new Error(
          `token store file ${target} stayed locked by another process for ${timing.waitMs} ms`,
        );
      }
      throw error;
    }
    try {
      return await task(() => !lost);
    } finally {
      // A lock that was taken over is no longer ours to remove.
      if (!lost) await release().catch(() => undefined);
    }
  };
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
