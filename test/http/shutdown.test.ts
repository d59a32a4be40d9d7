/**
 * The shutdown sequence on a real socket, with short timings: a clean stop, a stage that does
 * not finish, the hard deadline, a connection whose request comes after the listener closed,
 * a quiet connection closed without a reset, and answers held while the listener closes.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { createDrain, useDrain } from '../../src/http/drain.js';
import {
  createShutdown,
  type ShutdownOptions,
  type ShutdownStage,
  type ShutdownTiming,
} from '../../src/http/shutdown.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { listenOnLoopback } from '../support/ports.js';

const FAST: Partial<ShutdownTiming> = {
  quietMs: 20,
  holdMaxMs: 200,
  lingerMs: 300,
  sweepMs: 50,
  requestGraceMs: 2_000,
  stageTimeoutMs: 2_000,
  boundMs: 5_000,
};

interface Started {
  server: Server;
  port: number;
  logs: LogCapture;
  exits: number[];
  shutdown: ReturnType<typeof createShutdown>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A yoga with the drain plugin (`slow` answers after `ms`), its shutdown, and a fake exit. */
async function start(
  options: { stages?: ShutdownStage[]; timing?: Partial<ShutdownTiming>; delayMs?: number } = {},
): Promise<Started> {
  const drain = createDrain();
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean, slow(ms: Int!): Boolean }',
      resolvers: {
        Query: {
          ok: () => true,
          slow: async (_: unknown, { ms }: { ms: number }) => {
            await sleep(ms);
            return true;
          },
        },
      },
    }),
    plugins: [useDrain(drain)],
    logging: false,
  });
  const server = createServer(yoga);
  servers.push(server);
  const logs = captureLogs();
  const exits: number[] = [];
  const shutdownOptions: ShutdownOptions = {
    server,
    logger: logs.logger,
    drain,
    delayMs: options.delayMs ?? 0,
    yoga,
    closeRest: options.stages ?? [],
    timing: { ...FAST, ...options.timing },
    exit: (code) => exits.push(code),
  };
  const shutdown = createShutdown(shutdownOptions);
  const { port } = await listenOnLoopback(server);
  return { server, port, logs, exits, shutdown };
}

/** A raw connection, once the server has accepted it. */
async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Accepted: the server side exists once a poll phase has run.
  await sleep(20);
  return socket;
}

/** What the server sent on `socket` until it ended it (or the error that ended it). */
function readAll(socket: Socket): Promise<{ text: string; error?: string }> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return new Promise((resolve) => {
    socket.once('end', () => resolve({ text }));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ text, error: error.code }));
  });
}

const request = (query: string) => {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

const messages = (logs: LogCapture, level?: number) =>
  logs.lines
    .map((line) => JSON.parse(line) as { level: number; msg: string; stage?: string })
    .filter((entry) => level === undefined || entry.level === level);

describe('createShutdown', () => {
  it('stops cleanly: the request in flight is answered, stages run in order, status 0', async () => {
    const ran: string[] = [];
    const stage = (name: string): ShutdownStage => ({ name, run: () => void ran.push(name) });
    const { port, logs, exits, shutdown } = await start({ stages: [stage('a'), stage('b')] });
    const socket = await openSocket(port);
    const reply = readAll(socket);
    socket.write(request('{ slow(ms: 400) }'));
    await sleep(50);
    shutdown.signal('SIGINT');
    expect(await shutdown.finished).toBe(0);
    const { text, error } = await reply;
    expect(error).toBeUndefined();
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(ran).toEqual(['a', 'b']);
    expect(exits).toEqual([]);
    expect(messages(logs).map((entry) => entry.msg)).toContain('stopped');
    expect(messages(logs, 50)).toEqual([]);
  });

  it('a stage that does not finish: an ERROR names it, the next still runs, status 1', async () => {
    const ran: string[] = [];
    const { logs, exits, shutdown } = await start({
      timing: { stageTimeoutMs: 100 },
      stages: [
        { name: 'closing the token store', run: () => new Promise(() => undefined) },
        { name: 'closing upstream connections', run: () => void ran.push('upstream') },
      ],
    });
    shutdown.signal('SIGTERM');
    expect(await shutdown.finished).toBe(1);
    await sleep(300);
    expect(exits).toEqual([1]);
    expect(ran).toEqual(['upstream']);
    const errors = messages(logs, 50);
    expect(errors.map((entry) => entry.stage)).toContain('closing the token store');
    expect(errors.map((entry) => entry.msg).join('\n')).toMatch(
      /closing the token store did not finish within 100 ms/,
    );
    expect(messages(logs).map((entry) => entry.msg)).not.toContain('stopped');
  });

  it('the hard deadline: delay + bound after the signal, an ERROR names the stage, status 1', async () => {
    const { logs, exits, shutdown } = await start({
      delayMs: 100,
      timing: { boundMs: 600, stageTimeoutMs: 60_000 },
      stages: [{ name: 'closing the event log', run: () => new Promise(() => undefined) }],
    });
    const signalled = performance.now();
    shutdown.signal('SIGTERM');
    expect(await shutdown.finished).toBe(1);
    const elapsed = performance.now() - signalled;
    // Fired early enough for the logs to be flushed within delay + bound (timers may be late).
    expect(elapsed).toBeGreaterThanOrEqual(440);
    expect(elapsed).toBeLessThan(1_700);
    await sleep(300);
    expect(exits).toEqual([1]);
    const [error] = messages(logs, 50);
    expect(error?.stage).toBe('closing the event log');
    expect(error?.msg).toMatch(/did not finish within 700 ms of SIGTERM/);
  });

  it('a connection accepted before the listener closed, its request sent after, is answered', async () => {
    const { port, shutdown } = await start();
    const socket = await openSocket(port);
    const reply = readAll(socket);
    shutdown.signal('SIGINT');
    // The listener is closed by now, the connection quiet for less than the linger.
    await sleep(150);
    await expect(openSocket(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    socket.write(request('{ ok }'));
    const { text, error } = await reply;
    expect(error).toBeUndefined();
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(await shutdown.finished).toBe(0);
  });

  it('a connection quiet for the linger is closed without a reset', async () => {
    const { port, shutdown } = await start();
    const socket = await openSocket(port);
    const reply = readAll(socket);
    const signalled = performance.now();
    shutdown.signal('SIGINT');
    expect(await reply).toEqual({ text: '' });
    expect(performance.now() - signalled).toBeGreaterThanOrEqual(250);
    expect(await shutdown.finished).toBe(0);
  });

  it('holds answers while the listener closes: none tells a client to reconnect before', async () => {
    const { port, server, shutdown } = await start({ timing: { quietMs: 150, holdMaxMs: 1_000 } });
    const socket = await openSocket(port);
    const reply = readAll(socket);
    let listeningWhenAnswered: boolean | undefined;
    socket.once('data', () => (listeningWhenAnswered = server.listening));
    shutdown.signal('SIGINT');
    await sleep(30);
    socket.write(request('{ ok }'));
    const { text } = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(listeningWhenAnswered).toBe(false);
    expect(await shutdown.finished).toBe(0);
  });
});
