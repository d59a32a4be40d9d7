/**
 * A gateway instance in its own process (./gateway-process-fixture.ts), driven over IPC: for the
 * tests of a fleet on one Redis. Its clock is a manual one the test moves.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  GatewayProcessConfig,
  GatewayProcessReply,
  GatewayProcessRequest,
} from './gateway-process-fixture.js';

export type { GatewayProcessConfig } from './gateway-process-fixture.js';

const FIXTURE = fileURLToPath(new URL('./gateway-process-fixture.ts', import.meta.url));

export interface GatewayProcess {
  /** Its GraphQL endpoint, http://127.0.0.1:<port>/graphql */
  readonly url: string;
  /** http://127.0.0.1:<port> (no path). */
  readonly base: string;
  /** A GraphQL POST, with `token` as the bearer. */
  post(query: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Moves the process's clock; resolves once it has. */
  setClock(now: number): Promise<void>;
  /** Closes what it opened and exits; resolves once it has exited. */
  close(): Promise<void>;
}

/** Resolves once the process listens; rejects when it fails or exits first. */
export async function startGatewayProcess(config: GatewayProcessConfig): Promise<GatewayProcess> {
  const child = fork(FIXTURE, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WGG_GATEWAY_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const clockMoves = new Map<number, () => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway process exited (${code})`)));
    child.on('message', (message: GatewayProcessReply) => {
      if (message.type === 'ready') resolve(message.url);
      else if (message.type === 'clock-set') clockMoves.get(message.now)?.();
      else reject(new Error(`gateway process failed: ${message.message}`));
    });
  });
  const request = (message: GatewayProcessRequest) => child.send(message);
  return {
    url,
    base: url.replace(/\/graphql$/, ''),
    setClock: (now) =>
      new Promise<void>((resolve) => {
        clockMoves.set(now, resolve);
        request({ type: 'clock', now });
      }),
    async post(query, token) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        request({ type: 'close' });
      }),
  };
}
