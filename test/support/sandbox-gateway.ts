/**
 * What a newcomer runs: `npx tsx src/main.ts` with no WeChat credentials (sandbox mode), as a
 * child process in its own process group, with its JSON log lines at hand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type LogEntry = Record<string, unknown>;

export interface SandboxGateway {
  /** The GraphiQL / GraphQL URL the gateway logged. */
  url: string;
  /** The first log line (so far or to come, up to 10 s) that `match` accepts. */
  waitForLog(match: (entry: LogEntry) => boolean): Promise<LogEntry>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: nothing of the shutdown runs (the keys file stays). */
  kill(): Promise<void>;
}

/** The environment of someone who has configured nothing: no credentials, defaults everywhere. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const configKeys =
    /^(WECHAT_|TOKEN_|SESSION_|JSSDK_)|^(PORT|HOST|LOG_LEVEL|NODE_ENV|ADMIN_API_KEY|SERVICE_API_KEYS|TRUST_PROXY|LOGIN_RATE_LIMIT|JSAPI_CONFIG_RATE_LIMIT|GRAPHIQL|INTROSPECTION|CORS_ORIGINS)$/;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !configKeys.test(key)),
  );
  return { ...env, PORT: '0', TOKEN_STORE: 'memory' };
}

/** One pino JSON line, or undefined for anything else the process prints. */
function parseLogLine(line: string): LogEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value))
      : undefined;
  } catch {
    return undefined;
  }
}

/** `settings`: environment variables on top of the newcomer's (e.g. a fixed PORT for a restart). */
export async function startSandboxGateway(
  settings: Record<string, string> = {},
): Promise<SandboxGateway> {
  // Its own process group: npx → sh → tsx → node, and SIGTERM must reach the gateway itself.
  const child: ChildProcess = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...newcomerEnv(), ...settings },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const entries: LogEntry[] = [];
  const waiters = new Set<(entry: LogEntry) => void>();
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`);
      const entry = parseLogLine(line);
      if (entry === undefined) return;
      entries.push(entry);
      for (const waiter of waiters) waiter(entry);
    });
  }
  const waitForLog = (match: (entry: LogEntry) => boolean): Promise<LogEntry> => {
    const seen = entries.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', exited);
      };
      const fail = (why: string) => {
        done();
        reject(new Error(`the sandbox gateway ${why}; its output:\n${output.join('')}`));
      };
      const timer = setTimeout(() => fail('did not log the expected line within 20 s'), 20_000);
      const exited = (code: number | null) => fail(`exited (${code})`);
      const check = (entry: LogEntry) => {
        if (!match(entry)) return;
        done();
        resolve(entry);
      };
      waiters.add(check);
      child.once('exit', exited);
    });
  };
  const group = child.pid;
  if (group === undefined) throw new Error('spawned gateway has no pid');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(-group, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-group, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(-group, 'SIGKILL');
    await exited;
  };
  try {
    const listening = await waitForLog(
      (entry) => entry['msg'] === 'wechat-graphql-gateway listening',
    );
    const url = listening['url'];
    if (typeof url !== 'string') throw new Error('the listening line has no url');
    return { url, waitForLog, stop, kill };
  } catch (error) {
    await stop();
    throw error;
  }
}
