/**
 * Real processes for tests: the gateway (or npm, the emulator, a redis-server) as an operator
 * starts it, its output kept line by line, waited for by a line it prints, and stopped by its own
 * PID (its process group with `group`), also when a test fails or the test process itself is told
 * to stop.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRecord, parseJsonObject } from '../../src/shared/json.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx of this repository, to `--import` from any directory (a gateway started elsewhere). */
export const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const GATEWAY_MAIN = join(REPO_ROOT, 'src/main.ts');

/** The gateway's configuration variables: a test's child starts from none of the caller's. */
const CONFIG_KEYS =
  /^(WECHAT_|TOKEN_|REDIS_|EMULATOR_|LOG_|SHUTDOWN_|SESSION_|JSSDK_|EVENTS_|USER_BATCH_|USER_CACHE_)|_FILE$|^(PORT|HOST|NODE_ENV|ADMIN_API_KEY|SERVICE_API_KEYS|GRAPHIQL|INTROSPECTION|CORS_ORIGINS|TRUST_PROXY|LOGIN_RATE_LIMIT|JSAPI_CONFIG_RATE_LIMIT|LOGIN_GLOBAL_RATE_LIMIT|JSAPI_CONFIG_GLOBAL_RATE_LIMIT|RATE_LIMIT_IPV6_PREFIX|KEY_FAILURE_LIMIT|SANDBOX|UPSTREAM_BUDGET_PER_OPERATION|CHECK_CREDENTIALS_AT_START)$/;

/** This process's environment without gateway (or emulator) settings, plus `settings`. */
export function childEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !CONFIG_KEYS.test(key)),
  );
  // No developer's .env, and .data/sandbox-keys.json left alone, unless a test asks.
  return { ...env, ENV_FILE: 'none', SANDBOX_KEYS_FILE: 'none', ...settings };
}

/** `childEnv` for an npm started by a test: none of the `npm test` run's own npm settings. */
export function npmEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(childEnv(settings)).filter(([key]) => !/^npm_/i.test(key)),
  );
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildOptions extends Pick<
  SpawnOptions,
  'env' | 'cwd' | 'detached' | 'uid' | 'gid'
> {
  /** Its name in messages and failure reports; default: the command. */
  name?: string;
  /** Its own process group, signalled as a whole (npx → sh → node: a signal must reach node). */
  group?: boolean;
  /** Lines kept per stream, the oldest dropped; default: every line. */
  keepLines?: number;
  /** Lines passed to waiters but not kept: a gateway's access lines, under load. */
  unkept?: RegExp;
  /** `summary()` leaves out every line up to one matching this (a start-up banner). */
  bannerEnd?: RegExp;
  /** `stop()` sends SIGKILL when its signal has not ended the process within this; default: never. */
  killAfterMs?: number;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Lines written so far, in order, each stream on its own. */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Both streams, for failure messages. */
  output(): string;
  /**
   * What it printed, for a person: pino lines as `time level msg fields`, a run of lines that
   * differ only in time collapsed into one with `(×N)`; the last 300 of them.
   */
  summary(): readonly string[];
  /** `exit code 3` or `signal SIGKILL` once it ended, else undefined. */
  exitStatus(): string | undefined;
  /**
   * The first stdout line (past or future) that `match` accepts; rejects with the output on exit
   * or timeout.
   */
  waitForLine(
    match: RegExp | ((line: string) => boolean),
    what: string,
    timeoutMs?: number,
  ): Promise<string>;
  /** Sends a signal by PID, or to its group (no-op once exited). */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (SIGKILL after `killAfterMs`) unless it has exited; resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Summaries kept per process for `summary()`, repeats collapsed. */
const KEPT_SUMMARIES = 300;
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
  const record = parseJsonObject(line);
  if (record === undefined) return { time: '', text: line.slice(0, 300) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (NOISE.has(key)) continue;
    const message = key === 'err' && isRecord(value) ? value.message : undefined;
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

/** Every child started and not yet exited, by the PID its signals go to (negative: a group). */
const running = new Set<number>();

/** Last resort when the test process ends or is stopped: no child outlives it. */
function killEveryChild(): void {
  for (const target of running) {
    try {
      process.kill(target, 'SIGKILL');
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

const describeExit = (exit: Exit): string =>
  exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;

export function startChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Child {
  installExitHooks();
  const {
    name = command,
    group = false,
    keepLines = Infinity,
    unkept,
    bannerEnd,
    killAfterMs,
    ...spawnOptions
  } = options;
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    ...spawnOptions,
    detached: group || spawnOptions.detached === true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  const target = group ? -pid : pid;
  running.add(target);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const summaries: { time: string; text: string; repeats: number }[] = [];
  const waiters = new Set<(line: string) => void>();
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(target);
      resolve(exit);
    });
  });

  let inBanner = bannerEnd !== undefined;
  const summarizeLine = (line: string): void => {
    if (inBanner) {
      if (bannerEnd?.test(line)) inBanner = false;
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
  const keep = (lines: string[], line: string): void => {
    if (unkept?.test(line)) return;
    lines.push(line);
    if (lines.length > keepLines) lines.shift();
    summarizeLine(line);
  };
  if (!child.stdout || !child.stderr) throw new Error('no pipes');
  createInterface({ input: child.stdout }).on('line', (line) => {
    for (const waiter of waiters) waiter(line);
    keep(stdout, line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => keep(stderr, line));
  const output = () => `stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`;

  const handle: Child = {
    name,
    process: child,
    pid,
    stdout,
    stderr,
    exited,
    output,
    summary: () =>
      summaries.map(
        (entry) => `${entry.time} ${entry.text}${entry.repeats > 1 ? ` (×${entry.repeats})` : ''}`,
      ),
    exitStatus: () => (exit === undefined ? undefined : describeExit(exit)),
    waitForLine(match, what, timeoutMs = 20_000) {
      const accepts = typeof match === 'function' ? match : (line: string) => match.test(line);
      const seen = stdout.find(accepts);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const done = (error?: Error, line?: string) => {
          clearTimeout(timer);
          waiters.delete(onLine);
          if (error) reject(error);
          else resolve(line ?? '');
        };
        const onLine = (line: string) => {
          if (accepts(line)) done(undefined, line);
        };
        const timer = setTimeout(
          () => done(new Error(`${name}: no ${what} within ${timeoutMs} ms\n${output()}`)),
          timeoutMs,
        );
        waiters.add(onLine);
        void exited.then((end) =>
          done(new Error(`${name} exited (${describeExit(end)}) before ${what}\n${output()}`)),
        );
      });
    },
    signal(signal) {
      if (exit !== undefined) return;
      try {
        process.kill(target, signal);
      } catch {
        // exited meanwhile
      }
    },
    async stop(signal = 'SIGTERM') {
      if (exit) return exit;
      // A process stopped by SIGSTOP acts on no other signal before SIGCONT.
      if (signal !== 'SIGKILL') handle.signal('SIGCONT');
      handle.signal(signal);
      if (killAfterMs !== undefined) {
        const timeout = sleep(killAfterMs).then(() => undefined);
        if ((await Promise.race([exited, timeout])) === undefined) handle.signal('SIGKILL');
      }
      return exited;
    },
  };
  return handle;
}

/**
 * The gateway as `npm start` runs it (`node --import tsx src/main.ts`, from any `cwd`), configured
 * by its environment only: `childEnv(settings)`.
 */
export function startGatewayMain(
  settings: Record<string, string>,
  options: Omit<ChildOptions, 'env'> = {},
): Child {
  return startChild(process.execPath, ['--import', TSX, GATEWAY_MAIN], {
    name: 'gateway',
    ...options,
    env: childEnv(settings),
  });
}

/** A pino JSON log line's fields, those the tests read typed. */
export interface LogEntry {
  readonly [field: string]: unknown;
  readonly level?: number;
  readonly msg?: string;
  readonly url?: string;
  readonly pid?: number;
  readonly time?: number;
}

/** A JSON log line as an object, or undefined for any other line. */
export function parseLogLine(line: string): LogEntry | undefined {
  return parseJsonObject(line);
}

export const LISTENING = 'wechat-graphql-gateway listening';

/** The gateway's "listening" entry (JSON logs): its GraphQL URL and its PID. */
export async function waitListening(
  child: Child,
  timeoutMs?: number,
): Promise<{ url: string; pid: number }> {
  const line = await child.waitForLine(
    (candidate) => parseLogLine(candidate)?.msg === LISTENING,
    'listening log line',
    timeoutMs,
  );
  const entry = parseLogLine(line);
  if (typeof entry?.url !== 'string' || typeof entry.pid !== 'number') {
    throw new Error(`odd line: ${line}`);
  }
  return { url: entry.url, pid: entry.pid };
}

/** Whether a process with this PID exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lines that look like a JavaScript stack trace. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at /.test(line));
}
