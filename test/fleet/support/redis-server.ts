/**
 * A redis-server of the test's own on a spare loopback port, which the test can kill, hang
 * (SIGSTOP), resume (SIGCONT) and restart on the same port; always stopped by PID. No
 * persistence: a restarted server starts empty, as after a crash without a dump.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';
import { spawnChild, type ChildHandle } from './processes.js';

const START_TIMEOUT_MS = 10_000;

/** A reply of Redis' protocol, as far as these helpers need it. */
export type RedisReply = string | number | null | RedisReply[];

/** Parses one RESP reply from the front of `buffer`; undefined while incomplete. */
function parseReply(buffer: string, at = 0): { value: RedisReply; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', at);
  if (lineEnd === -1) return undefined;
  const type = buffer[at];
  const head = buffer.slice(at + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === '+') return { value: head, end: next };
  if (type === '-') throw new Error(`Redis error: ${head}`);
  if (type === ':') return { value: Number(head), end: next };
  if (type === '$') {
    const length = Number(head);
    if (length < 0) return { value: null, end: next };
    // Replies here are ASCII (CLIENT LIST, INFO), so characters count as bytes.
    if (buffer.length < next + length + 2) return undefined;
    return { value: buffer.slice(next, next + length), end: next + length + 2 };
  }
  if (type === '*') {
    const count = Number(head);
    if (count < 0) return { value: null, end: next };
    const items: RedisReply[] = [];
    let end = next;
    for (let i = 0; i < count; i += 1) {
      const item = parseReply(buffer, end);
      if (item === undefined) return undefined;
      items.push(item.value);
      end = item.end;
    }
    return { value: items, end };
  }
  throw new Error(`unexpected Redis reply: ${JSON.stringify(buffer.slice(at, at + 40))}`);
}

/** One command on a fresh connection; rejects when Redis does not answer within `timeoutMs`. */
export function redisCommand(
  port: number,
  args: readonly string[],
  timeoutMs = 1_000,
): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = (error: Error | undefined, value?: RedisReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? null);
    };
    const timer = setTimeout(
      () =>
        done(new Error(`Redis on port ${port} did not answer ${args[0]} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.on('error', (error) => done(error));
    socket.on('data', (chunk: string) => {
      received += chunk;
      try {
        const reply = parseReply(received);
        if (reply !== undefined) done(undefined, reply.value);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
    );
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The server process now, undefined while killed. */
  process(): ChildHandle | undefined;
  /** Starts it (again) on its port; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: connections drop, the data is gone. */
  kill(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing is answered. */
  hang(): void;
  /** SIGCONT after hang(). */
  resume(): void;
  /** Answers PING within `timeoutMs`? */
  answers(timeoutMs?: number): Promise<boolean>;
  /** Connected clients other than the connection asking. */
  clientCount(): Promise<number>;
  /** Stops it for good (by PID). */
  stop(): Promise<void>;
}

/** `redis-server` from PATH, or REDIS_SERVER_BIN. */
function redisBinary(): string {
  return process.env.REDIS_SERVER_BIN ?? 'redis-server';
}

/** A redis-server on a spare port; not started until `start()` (so a test can start without it). */
export async function createRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildHandle | undefined;
  let starts = 0;

  const answers = async (timeoutMs = 500): Promise<boolean> => {
    try {
      return (await redisCommand(port, ['PING'], timeoutMs)) === 'PONG';
    } catch {
      return false;
    }
  };

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: () => child,
    async start() {
      if (child !== undefined) throw new Error(`redis on port ${port} is already running`);
      starts += 1;
      child = spawnChild(
        `redis:${port}#${starts}`,
        redisBinary(),
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { env: process.env, bannerEnd: /Ready to accept connections/ },
      );
      const started = child;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!(await answers(200))) {
        if (started.exitStatus() !== undefined || Date.now() > deadline) {
          const how = started.exitStatus() ?? 'no PONG';
          await started.stop();
          child = undefined;
          throw new Error(
            `redis-server did not start on port ${port} (${how}); is it installed (REDIS_SERVER_BIN)?\n` +
              started.lines().slice(-10).join('\n'),
          );
        }
        await sleep(50);
      }
    },
    async kill() {
      const current = child;
      child = undefined;
      if (current === undefined) return;
      current.signal('SIGKILL');
      await current.exited;
    },
    hang() {
      child?.signal('SIGSTOP');
    },
    resume() {
      child?.signal('SIGCONT');
    },
    answers,
    async clientCount() {
      const list = await redisCommand(port, ['CLIENT', 'LIST']);
      if (typeof list !== 'string') throw new Error('unexpected CLIENT LIST reply');
      return list
        .split('\n')
        .filter((line) => line.trim() !== '' && !/ cmd=client\|list /.test(` ${line} `)).length;
    },
    async stop() {
      const current = child;
      child = undefined;
      if (current === undefined) return;
      current.signal('SIGKILL');
      await current.exited;
    },
  };
  return server;
}
