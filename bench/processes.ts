/**
 * Starting and stopping the bench's own processes (servers, the emulator, redis-server): each is
 * ready when a line of its output matches `ready` (whose first group is its URL), is stopped by
 * its PID, and fails the run loudly, with its last output, if it dies early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The project root: servers and `npm` scripts run from here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Started {
  readonly name: string;
  readonly pid: number;
  /** The first group of the `ready` match. */
  readonly url: string;
  /** When `spawn` was called and when the ready line arrived (performance.now(), ms). */
  readonly spawnedAt: number;
  readonly readyAt: number;
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly ready: RegExp;
  readonly timeoutMs?: number;
}

/** Every process spawned and not stopped yet, by its stop function. */
const running = new Set<(signal?: NodeJS.Signals) => Promise<void>>();

/** Runs `command args` from the project root and resolves once its output matches `ready`. */
export async function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions,
): Promise<Started> {
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env ?? { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  const tail: string[] = [];
  let exited = false;
  let stopping = false;
  let readyAt: number | undefined;
  child.once('exit', (code, signal) => {
    exited = true;
    if (stopping || readyAt === undefined) return;
    console.error(`bench: ${name} (PID ${pid}) died (${signal ?? code}):\n${tail.join('\n')}`);
    process.exitCode = 1;
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    stopping = true;
    running.delete(stop);
    if (exited || pid === undefined) return;
    const done = once(child, 'exit');
    process.kill(pid, signal);
    const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };
  running.add(stop);
  const url = await new Promise<string>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${tail.join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      const match = options.ready.exec(line);
      if (match?.[1] !== undefined && readyAt === undefined) {
        readyAt = performance.now();
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    // Read both streams to the end, always: a full pipe would block the process.
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail.join('\n')}`),
      );
    });
  });
  if (pid === undefined || readyAt === undefined) throw new Error(`${name} has no PID`);
  return { name, pid, url, spawnedAt, readyAt, child, stop };
}

/** Stops every process still running, ready or not (at the end of the run, and when it fails). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

/** `node --import tsx <file>`: how `npm start` runs TypeScript. */
export function tsxArgs(file: string): string[] {
  const profile = process.env['BENCH_CPU_PROF'];
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  return [...flags, '--import', 'tsx', file];
}
