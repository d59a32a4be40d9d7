/**
 * Starts a fixture script (test/tokens/fixtures/*) as a real Node process (`node --import tsx`)
 * and calls it over IPC. Each child is stopped by its own pid when the test is done.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RpcReply } from './fixtures/rpc-child.js';

export interface ChildRpc {
  readonly child: ChildProcess;
  call<T>(method: string, args?: Record<string, unknown>): Promise<T>;
  /** Asks the child to close what it opened and exit; resolves once it has exited. */
  close(): Promise<void>;
  /** Kills the child with `signal` and resolves once it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

function isReply(value: unknown): value is RpcReply {
  return typeof value === 'object' && value !== null && 'type' in value;
}

export async function startChild(fixture: string, config: unknown): Promise<ChildRpc> {
  const path = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = fork(path, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WGG_FIXTURE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failAll = (error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  child.on('exit', (code, signal) =>
    failAll(new Error(`${fixture} exited (${signal ?? code}) with calls pending`)),
  );

  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${fixture} exited with ${code} before ready`)));
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      if (message.type === 'ready') resolve();
      if (message.type === 'fatal') reject(new Error(`${fixture} failed: ${message.message}`));
      if (message.type === 'result') pending.get(message.id)?.resolve(message.value);
      if (message.type === 'error') {
        pending.get(message.id)?.reject(new Error(`${fixture}: ${message.message}`));
      }
      if (message.type === 'result' || message.type === 'error') pending.delete(message.id);
    });
  });

  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    call<T>(method: string, args: Record<string, unknown> = {}) {
      const id = (nextId += 1);
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: (value) => resolve(value as T), reject });
        child.send({ type: 'call', id, method, args });
      });
    },
    async close() {
      if (!alive()) return;
      child.send({ type: 'close' });
      await exited;
    },
    async kill(signal) {
      if (!alive()) return;
      child.kill(signal);
      await exited;
    },
  };
}
