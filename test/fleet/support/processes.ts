/**
 * Child processes of the fleet suite (emulator, gateways, redis-server): spawned with their output
 * kept in a ring buffer, waited for by a line they print, and always stopped by PID, also when a
 * test fails or the test process itself is told to stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Raw lines kept per process (to wait for a line). */
const KEPT_LINES = 200;
/** Summarized lines kept per process for the failure report, repeats collapsed. */
const KEPT_SUMMARIES = 300;
/**
 * A gateway's access lines (one per request, README "Logs"): under load they would push every
 * other line out of the buffers in a second, so they are passed to watchers but not kept.
 */
const ACCESS_LINE = /"msg":"access"/;

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  /** The last lines printed (stdout and stderr). */
  lines(): readonly string[];
  /**
   * What it printed, for a person: pino lines as `time level msg fields`, a run of lines that
   * differ only in time collapsed into one with `(×N)`; the last KEPT_SUMMARIES of them.
   */
  summary(): readonly string[];
  /** Resolves with the first match of `pattern` in a line (past or future); rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** The exit code or signal once the process ended, else undefined. */
  exitStatus(): string | undefined;
  /** Resolves once the process has exited. */
  readonly exited: Promise<string>;
  /** Sends a signal by PID (no-op once exited). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildHandle>();

/** Fields of a pino line that say nothing about what happened. */
const NOISE = new Set(['level', 'time', 'pid', 'hostname', 'msg']);
const LEVELS: Record<number, string> = {
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A pino JSON line as `level msg {fields}` (time apart), anything else as it is. */
function summarize(line: string): { time: string; text: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { time: '', text: line.slice(0, 300) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { time: '', text: line.slice(0, 300) };
  }
  const record = Object.fromEntries(Object.entries(parsed));
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (NOISE.has(key)) continue;
    const message =
      key === 'err' && typeof value === 'object' && value !== null && 'message' in value
        ? value.message
        : undefined;
    fields[key] = message ?? value;
  }
  const time =
    typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = typeof record.level === 'number' ? (LEVELS[record.level] ?? record.level) : '?';
  const rest = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
  // Request ids differ on every line; without them repeats collapse.
  const text = `${level} ${String(record.msg ?? '')}${rest}`
    .replace(/ rid: [0-9a-f-]+/g, '')
    .slice(0, 300);
  return { time, text };
}

/** Last resort when the test process is stopped: no child outlives it. */
function killEveryChild(): void {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killEveryChild);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killEveryChild();
      // Die of the same signal, as without this handler.
      process.kill(process.pid, signal);
    });
  }
}

export function spawnChild(
  name: string,
  command: string,
  args: readonly string[],
  options: {
    env: NodeJS.ProcessEnv;
    cwd?: string;
    /** The summary leaves out the start-up banner: every line up to one matching this. */
    bannerEnd?: RegExp;
  },
): ChildHandle {
  installExitHooks();
  const child: ChildProcess = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  const pid = child.pid;
  const kept: string[] = [];
  const summaries: { time: string; text: string; repeats: number }[] = [];
  const watchers = new Set<(line: string) => void>();
  let status: string | undefined;

  let inBanner = options.bannerEnd !== undefined;
  const summarizeLine = (line: string): void => {
    if (inBanner) {
      if (options.bannerEnd?.test(line)) inBanner = false;
      return;
    }
    const summary = summarize(line);
    const last = summaries[summaries.length - 1];
    if (last?.text === summary.text) {
      last.repeats += 1;
    } else {
      summaries.push({ ...summary, repeats: 1 });
      if (summaries.length > KEPT_SUMMARIES) summaries.shift();
    }
  };
  const onLine = (line: string): void => {
    for (const watcher of watchers) watcher(line);
    if (ACCESS_LINE.test(line)) return;
    kept.push(line);
    if (kept.length > KEPT_LINES) kept.shift();
    summarizeLine(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    });
    stream?.on('end', () => {
      if (partial !== '') onLine(partial);
      partial = '';
    });
  }

  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal === null ? `exit code ${code}` : `signal ${signal}`;
      running.delete(handle);
      resolve(status);
    });
  });

  const handle: ChildHandle = {
    name,
    pid,
    lines: () => kept,
    summary: () =>
      summaries.map(
        (entry) => `${entry.time} ${entry.text}${entry.repeats > 1 ? ` (×${entry.repeats})` : ''}`,
      ),
    exitStatus: () => status,
    exited,
    waitForLine(pattern, timeoutMs) {
      for (const line of kept) {
        const match = pattern.exec(line);
        if (match) return Promise.resolve(match);
      }
      return new Promise((resolve, reject) => {
        const finish = (error?: Error, match?: RegExpExecArray): void => {
          clearTimeout(timer);
          watchers.delete(watcher);
          if (match) resolve(match);
          else reject(error);
        };
        const watcher = (line: string): void => {
          const match = pattern.exec(line);
          if (match) finish(undefined, match);
        };
        const timer = setTimeout(
          () => finish(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        watchers.add(watcher);
        void exited.then((how) =>
          finish(new Error(`${name} ended (${how}) before printing a line matching ${pattern}`)),
        );
      });
    },
    signal(signal) {
      if (status !== undefined) return;
      try {
        process.kill(pid, signal);
      } catch {
        // exited meanwhile
      }
    },
    async stop(graceMs = 3_000) {
      if (status !== undefined) return;
      handle.signal('SIGCONT');
      handle.signal('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!gone) {
        handle.signal('SIGKILL');
        await exited;
      }
    },
  };
  running.add(handle);
  return handle;
}
