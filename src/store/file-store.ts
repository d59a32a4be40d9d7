import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { systemClock, type Clock } from '../shared/clock.js';
import {
  createCellTokenStore,
  createSerialQueue,
  type CellAccess,
  type CellRunner,
} from './cell-store.js';
import { createFileLock, DEFAULT_FILE_LOCK_TIMING, type FileLockTiming } from './file-lock.js';
import { parseStoreFile, serializeStoreFile, type CellMap } from './file-store-format.js';
import type { TokenStore } from './store.js';

export interface FileTokenStoreOptions {
  namespace: string;
  clock?: Clock;
  /**
   * What an operator should hear about (a damaged file moved aside). Messages name files and
   * problems, never the file's content: it holds live tokens. Default: a process warning.
   */
  onWarning?: (message: string) => void;
  /** Tests shorten the lock's timing; see FileLockTiming. */
  lock?: Partial<FileLockTiming>;
}

type Loaded =
  { state: 'ok'; cells: CellMap } | { state: 'missing' } | { state: 'damaged'; problem: string };

/** The file's current content: a rename replaces it whole, so a read never sees half a write. */
async function load(filename: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(filename, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { state: 'missing' };
    throw error;
  }
  const parsed = parseStoreFile(text);
  return parsed.ok
    ? { state: 'ok', cells: parsed.cells }
    : { state: 'damaged', problem: parsed.problem };
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** `<file>.damaged-<ISO time>[-n]`: kept for a human to look at, never read again. */
async function moveAside(filename: string, now: number): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n += 1) {
    const target = `${filename}.damaged-${stamp}${n === 0 ? '' : `-${n}`}`;
    const taken = await stat(target).then(
      () => true,
      (error: unknown) => (isMissing(error) ? false : Promise.reject(error)),
    );
    if (!taken) {
      await rename(filename, target);
      return target;
    }
  }
}

function accessTo(cells: CellMap, changed: () => void): CellAccess {
  return {
    get: async (key) => cells.get(key),
    async put(key, cell) {
      cells.set(key, cell);
      changed();
    },
    async remove(key) {
      if (cells.delete(key)) changed();
    },
  };
}

const readOnly = (cells: CellMap): CellAccess =>
  accessTo(cells, () => {
    throw new Error('token store: a read step tried to write');
  });

/**
 * A JSON file that several processes on one host may share, and that survives crashes:
 * - every change is a read-modify-write of the whole file under a cross-process lock
 *   (proper-lockfile), re-reading the file each time, so compound operations (lease, monotonic
 *   write, counters) are atomic across processes and nobody works from a stale copy;
 * - the new content goes to a temporary file that is fsynced and renamed over the old one
 *   (write-file-atomic): a reader or a crash sees the old file or the new one, never a mix;
 * - reads take no lock (the rename makes them consistent); they are cheap, and the token hot
 *   path never reaches the store anyway;
 * - a file that cannot be read (empty, truncated, garbage) is moved aside with a warning and the
 *   store starts empty: a cache is refilled by the next token call, while refusing to start
 *   would take the gateway down.
 * The file is written readable by its owner only (0600), in a directory created 0700.
 */
export async function createFileTokenStore(
  path: string,
  options: FileTokenStoreOptions,
): Promise<TokenStore> {
  const filename = resolve(path);
  const clock = options.clock ?? systemClock;
  const warn =
    options.onWarning ?? ((message) => process.emitWarning(message, 'TokenStoreWarning'));
  const withLock = createFileLock(filename, { ...DEFAULT_FILE_LOCK_TIMING, ...options.lock });

  const save = (cells: CellMap): Promise<void> =>
    writeFileAtomic(filename, serializeStoreFile(cells, clock.now()), { mode: 0o600 });

  /** Under the lock: the cells, after moving a damaged file aside. */
  async function loadForWrite(): Promise<{ cells: CellMap; exists: boolean }> {
    const loaded = await load(filename);
    if (loaded.state === 'ok') return { cells: loaded.cells, exists: true };
    if (loaded.state === 'damaged') {
      const target = await moveAside(filename, clock.now());
      warn(
        `token store file ${filename} was ${loaded.problem}: moved it to ${basename(target)} ` +
          'and started with an empty cache (the next refresh fetches new tokens)',
      );
    }
    return { cells: new Map(), exists: false };
  }

  const serial = createSerialQueue();
  const run: CellRunner = (mode, task) =>
    serial(async () => {
      if (mode === 'read') {
        const loaded = await load(filename);
        // A damaged file reads as empty here; the next write moves it aside, under the lock.
        return task(readOnly(loaded.state === 'ok' ? loaded.cells : new Map()));
      }
      return withLock(async (stillHeld) => {
        const { cells } = await loadForWrite();
        let changed = false;
        const result = await task(accessTo(cells, () => (changed = true)));
        if (!changed) return result;
        if (!stillHeld()) {
          throw new Error(
            `lost the lock on token store file ${filename}; the change was not written`,
          );
        }
        await save(cells);
        return result;
      });
    });

  await mkdir(dirname(filename), { recursive: true, mode: 0o700 });
  // Checked (and created) at once: a damaged file is reported at start, not at the first refresh.
  await serial(() =>
    withLock(async () => {
      const { cells, exists } = await loadForWrite();
      if (!exists) await save(cells);
    }),
  );
  return createCellTokenStore({
    kind: 'file',
    namespace: options.namespace,
    clock,
    run,
    // Every operation has finished once the queue has run an empty task.
    close: () => serial(async () => undefined),
  });
}
