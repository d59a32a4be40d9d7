/**
 * The shutdown sequence on SIGTERM (or SIGINT), bounded as a whole:
 *
 * 1. Drain for `delayMs` (SIGTERM only): /readyz answers 503 and every response carries
 *    `Connection: close`, while load balancers notice.
 * 2. Stop listening, with nothing left in the kernel's accept queue: a connection queued there
 *    when the listener closes is reset by the kernel, its request lost. Clients connect again
 *    after an answer (every answer closes its connection now), so answers are held back until no
 *    connection has arrived for `quietMs` (at most `holdMaxMs`), and the listener closes right
 *    after the event loop accepted whatever was queued.
 * 3. End event streams and linger: requests on connections already open are still served; a
 *    connection is closed once it has had no request in flight and no byte from its client for
 *    `lingerMs` (one accepted a moment ago, its request not read yet, is left alone: closing it
 *    with unread bytes would send its client a reset). Whatever is still open after
 *    `requestGraceMs` is cut.
 * 4. Close the rest (yoga, then `closeRest` in order), each stage given `stageTimeoutMs`.
 *
 * The whole of it finishes within `delayMs + boundMs` of the signal: past that, or when a stage
 * did not finish in time, an ERROR line names the stage and the process exits 1. A clean stop
 * logs "stopped" and lets the process end by itself, exit status 0.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';
import type { DrainState } from './drain.js';

/** A named step of closing down, e.g. `closing the token store`. */
export interface ShutdownStage {
  readonly name: string;
  run(): Promise<unknown> | unknown;
}

export interface ShutdownTiming {
  /** After the delay, everything must be done within this (the docs promise delay + 10 s). */
  boundMs: number;
  /** Before the listener closes: answers are held until no connection arrived for this long… */
  quietMs: number;
  /** …or for this long at most. */
  holdMaxMs: number;
  /** Once the listener closed, requests in flight get this long before connections are cut. */
  requestGraceMs: number;
  /** Once the listener closed, a connection quiet for this long is closed. */
  lingerMs: number;
  /** How often connections are looked at while lingering. */
  sweepMs: number;
  /** Each closing stage (yoga, the store, …) gets this long, then is given up on. */
  stageTimeoutMs: number;
}

export const SHUTDOWN_TIMING: ShutdownTiming = {
  boundMs: 10_000,
  quietMs: 100,
  holdMaxMs: 1_000,
  requestGraceMs: 6_000,
  lingerMs: 1_000,
  sweepMs: 200,
  stageTimeoutMs: 2_500,
};

/** How long the logs get to be written out before an exit with status 1. */
const EXIT_FLUSH_MS = 250;

export interface ShutdownOptions {
  server: Server;
  logger: Logger;
  drain: DrainState;
  /** SIGTERM's drain before the listener closes (SHUTDOWN_DELAY_MS); SIGINT skips it. */
  delayMs: number;
  yoga: { dispose(): Promise<void> | void };
  /** Closed in order once no connection is left. */
  closeRest: readonly ShutdownStage[];
  timing?: Partial<ShutdownTiming>;
  /** Default: process.exit. */
  exit?: (code: number) => void;
}

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

export interface Shutdown {
  /** Starts the sequence; a second (different, or later) signal exits at once with status 1. */
  signal(signal: ShutdownSignal): void;
  /** Calls `signal` on SIGINT and SIGTERM. */
  handleSignals(): void;
  /** Settles when the sequence has ended: the exit status it ended with (0 clean). */
  readonly finished: Promise<number>;
}

interface ConnectionState {
  /** performance.now() of the last sign of life: accepted, bytes read, request in or out. */
  lastActive: number;
  bytesRead: number;
  inFlight: number;
}

interface Connections {
  readonly size: number;
  /** performance.now() when the last connection was accepted. */
  readonly lastAcceptedAt: number;
  /** Closes connections quiet for `lingerMs`; returns how many it closed. */
  closeQuiet(lingerMs: number): number;
  destroyAll(): void;
}

/** Every connection of `server` from now on, with its requests in flight and last activity. */
function trackConnections(server: Server): Connections {
  const sockets = new Map<Socket, ConnectionState>();
  let lastAcceptedAt = 0;
  server.on('connection', (socket: Socket) => {
    lastAcceptedAt = performance.now();
    sockets.set(socket, { lastActive: lastAcceptedAt, bytesRead: 0, inFlight: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const state = sockets.get(request.socket);
    if (state === undefined) return;
    state.inFlight += 1;
    state.lastActive = performance.now();
    response.once('close', () => {
      state.inFlight -= 1;
      state.lastActive = performance.now();
    });
  });
  return {
    get size() {
      return sockets.size;
    },
    get lastAcceptedAt() {
      return lastAcceptedAt;
    },
    closeQuiet(lingerMs) {
      const now = performance.now();
      let closed = 0;
      for (const [socket, state] of sockets) {
        // Bytes read since the last look: a request arriving (its headers may not be complete).
        if (socket.bytesRead !== state.bytesRead) {
          state.bytesRead = socket.bytesRead;
          state.lastActive = now;
        }
        if (state.inFlight > 0 || now - state.lastActive < lingerMs) continue;
        socket.destroy();
        closed += 1;
      }
      return closed;
    },
    destroyAll() {
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}

/**
 * Closes the listener once connections stopped arriving, answers held meanwhile (see the top of
 * this file); resolves then, with the listener's `closed`, which settles once no connection is
 * left.
 */
function stopListening(
  server: Server,
  connections: Connections,
  drain: DrainState,
  timing: ShutdownTiming,
): Promise<{ closed: Promise<void>; heldMs: number }> {
  const release = drain.holdResponses();
  const started = performance.now();
  return new Promise((resolve) => {
    // In the check phase, right after a poll phase accepted whatever the kernel had queued.
    const check = (): void => {
      const now = performance.now();
      const quiet = now - connections.lastAcceptedAt >= timing.quietMs;
      if (!quiet && now - started < timing.holdMaxMs) {
        setTimeout(() => setImmediate(check), 10);
        return;
      }
      // Not server.close(): that also closes at once every connection without a request in
      // flight, one accepted a moment ago included, whose request is still unread.
      const closed = new Promise<void>((done) =>
        NetServer.prototype.close.call(server, () => done()),
      );
      release();
      // Wrapped: resolving with the promise itself would wait for it.
      resolve({ closed, heldMs: Math.round(now - started) });
    };
    setImmediate(check);
  });
}

/**
 * Stops listening, then serves open connections until each has been quiet for `lingerMs`;
 * after `requestGraceMs` the rest are cut. Resolves once no connection is left.
 */
async function closeConnections(
  options: { server: Server; drain: DrainState; logger: Logger },
  connections: Connections,
  timing: ShutdownTiming,
): Promise<void> {
  const { server, drain, logger } = options;
  const { closed, heldMs } = await stopListening(server, connections, drain, timing);
  logger.debug(
    { heldMs, connections: connections.size },
    'listener closed (answers were held until connections stopped arriving)',
  );
  drain.endStreams();
  const sweep = setInterval(() => connections.closeQuiet(timing.lingerMs), timing.sweepMs);
  const force = setTimeout(() => {
    logger.warn(
      { connections: connections.size },
      `requests still in flight ${timing.requestGraceMs} ms after the listener closed: closing their connections`,
    );
    server.closeAllConnections();
    connections.destroyAll();
  }, timing.requestGraceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(force);
  }
}

/** Resolves true when `work` settled within `ms`, false when it did not (it is left running). */
async function within(ms: number, work: () => unknown): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .then(() => true as const),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the stages in order; returns the names of those that failed or did not finish. */
async function runStages(
  stages: readonly ShutdownStage[],
  timing: ShutdownTiming,
  logger: Logger,
  onStage: (name: string) => void,
): Promise<string[]> {
  const failed: string[] = [];
  for (const stage of stages) {
    onStage(stage.name);
    try {
      if (await within(timing.stageTimeoutMs, () => stage.run())) continue;
      logger.error(
        { stage: stage.name },
        `shutdown: ${stage.name} did not finish within ${timing.stageTimeoutMs} ms: going on without it`,
      );
    } catch (error) {
      logger.error({ err: error, stage: stage.name }, `shutdown: ${stage.name} failed`);
    }
    failed.push(stage.name);
  }
  return failed;
}

/** pino writes asynchronously: the ERROR line saying why is flushed before the process ends. */
function flushThenExit(logger: Logger, exit: (code: number) => void, code: number): void {
  let exited = false;
  const exitNow = (): void => {
    if (!exited) exit(code);
    exited = true;
  };
  setTimeout(exitNow, EXIT_FLUSH_MS);
  logger.flush(exitNow);
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { server, logger, drain } = options;
  const timing = { ...SHUTDOWN_TIMING, ...options.timing };
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const connections = trackConnections(server);
  let first: { signal: ShutdownSignal; at: number } | undefined;
  let stage = 'draining';
  let settle: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (settle = resolve));
  let exiting = false;
  const end = (code: number): void => {
    settle(code);
    if (code === 0 || exiting) return;
    exiting = true;
    flushThenExit(logger, exit, code);
  };

  const sequence = async (signal: ShutdownSignal): Promise<void> => {
    const delayMs = signal === 'SIGTERM' ? options.delayMs : 0;
    const limitMs = delayMs + timing.boundMs;
    // Ref'd until "stopped": a step waiting on nothing that keeps the process alive still ends.
    // Fired early enough that the logs can be flushed within the bound.
    const deadline = setTimeout(() => {
      logger.error(
        { stage },
        `shutdown did not finish within ${limitMs} ms of ${signal} (SHUTDOWN_DELAY_MS + ${timing.boundMs} ms): ${stage} did not finish; exiting`,
      );
      end(1);
    }, limitMs - EXIT_FLUSH_MS);
    drain.begin(`${signal} received`);
    logger.info(
      `${signal}: draining: /readyz answers 503, responses close their connections; the listener closes in ${delayMs} ms (SHUTDOWN_DELAY_MS)`,
    );
    if (delayMs > 0) await sleep(delayMs);
    logger.info('shutting down: no new connections; in-flight requests finish, event streams end');
    stage = 'waiting for requests in flight';
    await closeConnections(options, connections, timing);
    const stages = [{ name: 'disposing yoga', run: () => options.yoga.dispose() }];
    const failed = await runStages([...stages, ...options.closeRest], timing, logger, (name) => {
      stage = name;
    });
    if (failed.length > 0) {
      clearTimeout(deadline);
      logger.error({ stages: failed }, `stopped, but ${failed.join(', ')} did not finish`);
      end(1);
      return;
    }
    stage = 'the process ending (something is still open)';
    // Only a backstop now: nothing should keep the process alive after this line.
    deadline.unref();
    logger.info('stopped');
    settle(0);
  };

  const onSignal = (signal: ShutdownSignal): void => {
    const now = performance.now();
    // Ctrl+C under `npm start` arrives twice (from the terminal, and forwarded by npm): one request.
    if (first && signal === first.signal && now - first.at < 500) return;
    if (first) {
      logger.warn(`${signal} again: exiting now`);
      end(1);
      return;
    }
    first = { signal, at: now };
    sequence(signal).catch((error: unknown) => {
      logger.error({ err: error, stage }, 'shutdown failed');
      end(1);
    });
  };

  return {
    signal: onSignal,
    handleSignals() {
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.on(signal, () => onSignal(signal));
    },
    finished,
  };
}
