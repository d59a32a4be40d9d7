/**
 * Real processes for end-to-end tests: the gateway (or npm, or the emulator) as an operator starts
 * it, its output kept line by line, stopped by its own PID.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The gateway's configuration variables: a test's child starts from none of the caller's. */
const CONFIG_KEYS =
  /^(WECHAT_|TOKEN_|REDIS_|EMULATOR_|LOG_|SHUTDOWN_|SESSION_|JSSDK_)|_FILE$|^(PORT|HOST|NODE_ENV|ADMIN_API_KEY|SERVICE_API_KEYS|GRAPHIQL|INTROSPECTION|CORS_ORIGINS|TRUST_PROXY|LOGIN_RATE_LIMIT|JSAPI_CONFIG_RATE_LIMIT)$/;

/** This process's environment without gateway settings, plus `settings`. */
export function childEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !CONFIG_KEYS.test(key)),
  );
  // No developer's .env, and .data/sandbox-keys.json left alone, unless a test asks.
  return { ...env, ENV_FILE: 'none', SANDBOX_KEYS_FILE: 'none', ...settings };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Lines written so far, in order, each stream on its own. */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Both streams, for failure messages. */
  output(): string;
  /** The first stdout line (past or future) that `match` accepts; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Sends `signal` unless it has exited; resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export function startChild(
  command: string,
  args: readonly string[],
  options: Pick<SpawnOptions, 'env' | 'cwd' | 'detached' | 'uid' | 'gid'> = {},
): Child {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<(line: string) => void>();
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  if (!child.stdout || !child.stderr) throw new Error('no pipes');
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of waiters) waiter(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const output = () => `stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`;

  return {
    process: child,
    pid,
    stdout,
    stderr,
    exited,
    output,
    waitForLine(match, what, timeoutMs = 20_000) {
      const seen = stdout.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const done = (error?: Error, line?: string) => {
          clearTimeout(timer);
          waiters.delete(onLine);
          if (error) reject(error);
          else resolve(line ?? '');
        };
        const onLine = (line: string) => {
          if (match(line)) done(undefined, line);
        };
        const timer = setTimeout(
          () => done(new Error(`no ${what} within ${timeoutMs} ms\n${output()}`)),
          timeoutMs,
        );
        waiters.add(onLine);
        void exited.then((end) =>
          done(new Error(`exited (${end.code ?? end.signal}) before ${what}\n${output()}`)),
        );
      });
    },
    async stop(signal = 'SIGTERM') {
      if (exit) return exit;
      child.kill(signal);
      return exited;
    },
  };
}

interface LogEntry {
  level?: number;
  msg?: string;
  url?: string;
  pid?: number;
}

/** A JSON log line as an object, or undefined for any other line. */
export function parseLogLine(line: string): LogEntry | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && !Array.isArray(entry)
      ? (entry as LogEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

export const LISTENING = 'wechat-graphql-gateway listening';

/** The gateway's "listening" entry (JSON logs): its GraphQL URL and its PID. */
export async function waitListening(child: Child): Promise<{ url: string; pid: number }> {
  const line = await child.waitForLine(
    (candidate) => parseLogLine(candidate)?.msg === LISTENING,
    'listening log line',
  );
  const entry = parseLogLine(line);
  if (entry?.url === undefined || entry.pid === undefined) throw new Error(`odd line: ${line}`);
  return { url: entry.url, pid: entry.pid };
}

/** A port nothing listens on right now (the OS picks it; it is closed again at once). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Whether a server can listen on `port` now, i.e. no process holds it. */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
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
