/**
 * The tiny protocol between bench/events.ts and its servers (bench/run.ts reads /proc instead).
 * Each server runs in its own Node process (so the load generator never shares an event loop with
 * it), announces itself once with `ready` and answers `stats` questions (CPU time, request
 * counters) until the channel closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';

export type Info = Record<string, string>;

/** The gateway's service key in the benchmark: `userInfo` is a service field. */
export const BENCH_SERVICE_KEY = 'bench-service-key-0123456789abcdef';
export type Stats = Record<string, number>;

type ChildMessage = { type: 'ready'; info: Info } | { type: 'stats'; id: number; stats: Stats };

function isRecordOf(value: unknown, guard: (item: unknown) => boolean): boolean {
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((item) => guard(item))
  );
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';

function isChildMessage(message: unknown): message is ChildMessage {
  if (typeof message !== 'object' || message === null || !('type' in message)) return false;
  if (message.type === 'ready') return 'info' in message && isRecordOf(message.info, isString);
  return (
    message.type === 'stats' &&
    'id' in message &&
    typeof message.id === 'number' &&
    'stats' in message &&
    isRecordOf(message.stats, isNumber)
  );
}

/** CPU time (user + system) this process has used so far, in microseconds. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Listens on an ephemeral loopback port; resolves to the origin, e.g. `http://127.0.0.1:41234`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/** Child side: announce `info`, then answer every stats question with `stats()`. */
export function serve(info: Info, stats: () => Stats): void {
  const send = process.send?.bind(process);
  if (!send)
    throw new Error('bench servers are started by bench/events.ts (they need an IPC channel)');
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'id' in message) {
      send({ type: 'stats', id: message.id, stats: { cpuMicros: cpuMicros(), ...stats() } });
    }
  });
  // The orchestrator died or finished: nothing is left to measure.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', info });
}

export interface ChildServer {
  readonly info: Info;
  stats(): Promise<Stats>;
  stop(): Promise<void>;
}

/** Parent side: run `bench/<script>` under tsx and wait until it is listening. */
export async function startChild(
  script: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every server (open it in Chrome DevTools).
  const profile = process.env['BENCH_CPU_PROF'];
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...flags, '--import', 'tsx', path], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const pending = new Map<number, { resolve(stats: Stats): void; reject(error: Error): void }>();
  let nextId = 1;
  let stopping = false;
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const error = new Error(`${script} exited (${signal ?? code})`);
      reject(error);
      if (!stopping) for (const waiter of pending.values()) waiter.reject(error);
    });
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message)) return;
      if (message.type === 'ready') resolve(message.info);
      else pending.get(message.id)?.resolve(message.stats);
    });
  });
  return {
    info,
    stats() {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, {
          resolve(stats) {
            pending.delete(id);
            resolve(stats);
          },
          reject,
        });
        child.send({ type: 'stats', id });
      });
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // Closing the channel lets the child exit on its own (and write its CPU profile).
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
