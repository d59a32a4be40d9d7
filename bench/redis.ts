/**
 * A redis-server of the bench's own on a free loopback port (no persistence), so the commands
 * the gateway sends can be counted exactly: INFO commandstats before and after a load window.
 * Stopped by its PID.
 */
import { Redis } from 'ioredis';
import { freePort } from '../test/support/ports.js';
import { startProcess, type Started } from './processes.js';

export interface BenchRedis {
  readonly process: Started;
  readonly url: string;
  /** Commands processed so far, by name (the bench's own INFO calls left out). */
  commands(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const proc = await startProcess(
    'redis-server',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { ready: /(Ready to accept connections)/ },
  );
  const url = `redis://127.0.0.1:${port}`;
  // No reconnecting: once the bench stops the server, this client ends too.
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  await client.connect();
  /** INFO calls this client made: each is counted once it has run. */
  let ownInfoCalls = 0;
  return {
    process: proc,
    url,
    async commands() {
      const text = await client.info('commandstats');
      ownInfoCalls += 1;
      const counts: Record<string, number> = {};
      for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        counts[match[1] ?? ''] = Number(match[2]);
      }
      // The INFO that answered this one is not counted yet; those before it are. ioredis' ready
      // check on connect is one more.
      const info = (counts['info'] ?? 0) - (ownInfoCalls - 1) - 1;
      if (info > 0) counts['info'] = info;
      else delete counts['info'];
      return counts;
    },
    async stop() {
      client.disconnect();
      await proc.stop();
    },
  };
}

/** Commands by name between two `commands()` readings, zeros left out. */
export function commandDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    const n = calls - (before[name] ?? 0);
    if (n !== 0) delta[name] = n;
  }
  return delta;
}
