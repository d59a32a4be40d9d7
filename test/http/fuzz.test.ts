/**
 * Property-based fuzzing (fast-check) of the gateway as hostile clients see it: random and
 * hostile documents, variables, headers and bodies through `yoga.fetch` and through a real
 * node:http socket, and malformed HTTP/1.1 byte streams. Whatever arrives: never a 5xx, never an
 * error masked as INTERNAL_SERVER_ERROR (a bug of ours), never a crash, never an unhandled
 * rejection, and the server keeps answering.
 *
 * Runs are bounded (case counts and a time limit). A failure prints fast-check's seed and path;
 * FUZZ_SEED=<seed> replays it; FUZZ_RUNS_FACTOR=<n> runs n times as many cases.
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fuzzRequest,
  rawRequest,
  type FuzzRequest,
  type RawRequest,
} from '../support/fuzz-requests.js';
import { ADMIN_KEY, startGateway, type Gateway } from '../support/harness.js';
import { listenOnLoopback } from '../support/ports.js';

const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** FUZZ_RUNS_FACTOR=20 for a long local run (the time limits grow with it). */
const factor = Number(process.env.FUZZ_RUNS_FACTOR ?? 1);

function runOptions(numRuns: number, timeLimitMs: number): fc.Parameters<unknown> {
  return {
    numRuns: numRuns * factor,
    ...(seed === undefined ? {} : { seed }),
    // Bounded: stop (successfully) once the time is up, whatever the machine's speed.
    interruptAfterTimeLimit: timeLimitMs * factor,
    markInterruptAsFailure: false,
    endOnFailure: true,
  };
}

/** What reaches process-wide handlers while a property runs: none of it may. */
const escaped: string[] = [];
const onRejection = (reason: unknown) => escaped.push(`unhandledRejection: ${String(reason)}`);
const onException = (error: unknown) => escaped.push(`uncaughtException: ${String(error)}`);

/** Lets a rejection left unhandled by the last case surface before the next one. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

let gw: Gateway;
let server: Server;
let base: string;
let agent: Agent;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  gw = await startGateway({ sandbox: true });
  server = createServer(gw.yoga);
  ({ url: base } = await listenOnLoopback(server));
  agent = new Agent({ connections: 8 });
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gw.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

let logsSeen = 0;
beforeEach(() => {
  logsSeen = gw.logs.length;
});

afterEach(async () => {
  await settle();
  expect(escaped.splice(0)).toEqual([]);
  // Every case's errors were expected ones: nothing the gateway had to mask as a bug.
  const unexpected = gw.logs.slice(logsSeen).filter((line) => line.includes('unexpected error'));
  expect(unexpected.map((line) => line.slice(0, 1000))).toEqual([]);
});

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text;
}

function describeCase(req: FuzzRequest): string {
  const bodyText =
    req.body === undefined
      ? ''
      : typeof req.body === 'string'
        ? shorten(req.body)
        : `<${req.body.length} bytes>`;
  return `${req.method} ${shorten(req.path)} ${shorten(JSON.stringify(req.headers))} ${bodyText}`;
}

function expectAnswered(status: number, text: string, req: FuzzRequest) {
  expect(status, `${status} for ${describeCase(req)}\n${shorten(text)}`).toBeLessThan(500);
  expect(text, describeCase(req)).not.toContain('INTERNAL_SERVER_ERROR');
}

/** The gateway still answers a plain query over the socket. */
async function expectAlive() {
  const res = await request(`${base}/graphql`, {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(res.statusCode).toBe(200);
  expect(await res.body.json()).toEqual({ data: { __typename: 'Query' } });
}

describe('fuzz: never a 5xx, a crash or an unhandled rejection', () => {
  it(
    'through yoga.fetch',
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(ADMIN_KEY), async (req) => {
          const headers = new Headers();
          for (const [name, value] of req.headers) headers.append(name, value);
          const response = await gw.yoga.fetch(`http://gateway.test${req.path}`, {
            method: req.method,
            headers,
            body: typeof req.body === 'string' ? req.body : req.body && new Uint8Array(req.body),
          });
          expectAnswered(response.status, await response.text(), req);
          await settle();
          expect(escaped).toEqual([]);
        }),
        runOptions(500, 8_000),
      );
    },
    30_000 * factor,
  );

  it(
    'over a real socket (node:http around the yoga instance)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(ADMIN_KEY), async (req) => {
          const res = await request(`${base}${req.path}`, {
            dispatcher: agent,
            method: req.method,
            headers: Object.fromEntries(req.headers),
            body: req.body,
          });
          expectAnswered(res.statusCode, await res.body.text(), req);
          await settle();
          expect(escaped).toEqual([]);
        }),
        runOptions(300, 6_000),
      );
      await expectAlive();
    },
    30_000 * factor,
  );

  it(
    'with malformed HTTP/1.1 on a raw socket',
    async () => {
      const { port } = new URL(base);
      await fc.assert(
        fc.asyncProperty(rawRequest(), async (raw) => {
          const reply = await sendRaw(Number(port), raw);
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1];
          if (status !== undefined) {
            expect(
              Number(status),
              `${reply.slice(0, 300)}\nfor ${raw.bytes.subarray(0, 300).toString('latin1')}`,
            ).toBeLessThan(500);
          }
          await settle();
          expect(escaped).toEqual([]);
        }),
        runOptions(150, 5_000),
      );
      await expectAlive();
    },
    30_000 * factor,
  );
});

/** Writes the bytes as the case says and returns what came back before the socket closed (≤ 1 s). */
function sendRaw(port: number, raw: RawRequest): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, 1_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.on('connect', () => {
      const cut = raw.split ? Math.floor(raw.bytes.length / 2) : raw.bytes.length;
      socket.write(raw.bytes.subarray(0, cut));
      const rest = () => {
        if (socket.destroyed) return;
        socket.write(raw.bytes.subarray(cut));
        if (raw.ending === 'destroy') socket.resetAndDestroy();
        else socket.end();
      };
      if (raw.split) setTimeout(rest, 20);
      else rest();
    });
  });
}
