import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AVATAR_PREFIX, answerAvatar } from './avatars.js';
import type { CallCounter } from './call-counter.js';
import {
  answerControl,
  mediaType,
  type ControlAnswer,
  type ControlTable,
} from './control-surface.js';
import { isControlPath } from './control-table.js';
import type { Faults } from './faults.js';
import {
  fail,
  stringifyWechatJson,
  type EmulatorRequest,
  type Reply,
  type Route,
} from './protocol.js';

/** Bodies beyond this are not WeChat requests; they get 47001 without being kept in memory. */
const MAX_BODY_BYTES = 1024 * 1024;
const CGI_CONTENT_TYPE = 'application/json; encoding=utf-8';

export interface ServerOptions {
  host: string;
  port: number;
  routes: ReadonlyMap<string, Route>;
  faults: Faults;
  calls: CallCounter;
  nextRid(): string;
  /**
   * The `/__emulator/…` controls (control-table.ts): not WeChat endpoints, so not counted, never
   * faulted, plain JSON. Without them those paths are unknown APIs like any other.
   */
  controls?: ControlTable;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly reply: Reply;
}

/** Reads the whole body; `undefined` when it is too large or the client went away. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    }
  } catch {
    return undefined;
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined;
}

function dispatch(route: Route | undefined, req: EmulatorRequest): Answer {
  // WeChat's reply to an unknown API is undocumented; a 404 makes a typo in a path obvious
  // while keeping the usual JSON envelope (40066 is WeChat's "invalid url").
  if (!route) return { status: 404, reply: fail(40066, `invalid url, no such api ${req.path}`) };
  if (route.method === 'POST' && req.method !== 'POST') return { status: 200, reply: fail(43002) };
  try {
    return { status: 200, reply: route.handle(req) };
  } catch (error) {
    console.error('wechat emulator: handler failed', req.path, error);
    return { status: 500, reply: fail(-1, 'system error (emulator bug, see its stderr)') };
  }
}

/** A WeChat answer as WeChat sends it: a page, image bytes, or JSON with `rid` on errors. */
function writeReply(
  res: ServerResponse,
  path: string,
  answer: Answer,
  nextRid: () => string,
): void {
  const { reply } = answer;
  if ('page' in reply) {
    const { status, headers, body } = reply.page;
    res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (reply.ok && reply.image) {
    res.writeHead(reply.image.status ?? answer.status, {
      'Content-Type': reply.image.contentType,
      'Content-Length': reply.image.bytes.length,
    });
    res.end(reply.image.bytes);
    return;
  }
  const body = reply.ok
    ? reply.body
    : { errcode: reply.errcode, errmsg: `${reply.errmsg} rid: ${nextRid()}`, ...reply.extra };
  const payload = stringifyWechatJson(body);
  res.writeHead(answer.status, {
    'Content-Type': path.startsWith('/sns/') ? 'text/plain' : CGI_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Controls answer plain, readable JSON (they are not WeChat endpoints). */
function writeControl(res: ServerResponse, answer: ControlAnswer): void {
  const payload = `${JSON.stringify(answer.body, null, 2)}\n`;
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Real-time waits (injected latency) that close() cuts short, so nothing outlives the server. */
interface Waits {
  delay(ms: number): Promise<void>;
  releaseAll(): void;
}

function createWaits(): Waits {
  const waits = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  return {
    delay: (ms) =>
      new Promise((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            waits.delete(entry);
            resolve();
          }, ms),
          done: resolve,
        };
        waits.add(entry);
      }),
    releaseAll() {
      for (const wait of waits) {
        clearTimeout(wait.timer);
        wait.done();
      }
      waits.clear();
    },
  };
}

/** What a request needs of the running server. */
interface RequestContext {
  readonly options: ServerOptions;
  readonly waits: Waits;
  isClosed(): boolean;
}

/** A Host header that is a host name or an IP address with an optional port, nothing more. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** How the caller reached this server: its Host header, else the address it connected to. */
function originOf(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host !== undefined && HOST.test(host)) return `http://${host}`;
  const { localAddress = '127.0.0.1', localPort } = req.socket;
  return `http://${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
}

function toEmulatorRequest(req: IncomingMessage, body: string | undefined): EmulatorRequest {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    url = new URL('http://emulator.invalid/');
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    body: body ?? '',
    contentType: mediaType(req.headers['content-type']),
    origin: originOf(req),
  };
}

/**
 * A WeChat endpoint: counted, delayed and faulted as configured, then carried out. `complete` is
 * false when the body was too large or cut short (47001).
 */
async function answerWechat(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: EmulatorRequest,
  complete: boolean,
): Promise<void> {
  const { routes, faults, calls, nextRid } = ctx.options;
  const route = routes.get(request.path);
  calls.record(request.path, route?.appIdOf(request));
  const latency = faults.latencyFor(request.path);
  if (latency > 0) {
    await ctx.waits.delay(latency);
    if (ctx.isClosed()) return;
  }
  const send = (answer: Answer) => writeReply(res, request.path, answer, nextRid);
  const fault = faults.take(request.path);
  if (fault?.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  // A hung request keeps its socket open until close() destroys it.
  if (fault?.kind === 'hang') return;
  if (fault?.kind === 'drop') {
    // Carried out, then the connection is cut: the caller never learns that it was.
    if (complete) dispatch(route, request);
    req.socket.resetAndDestroy();
    return;
  }
  if (fault) send({ status: 200, reply: fail(fault.errcode, fault.errmsg) });
  else if (!complete) send({ status: 200, reply: fail(47001) });
  else send(dispatch(route, request));
}

/** The controls, when served, answer before anything is counted or faulted. */
async function handleRequest(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  if (ctx.isClosed() || req.socket.destroyed) return;
  const request = toEmulatorRequest(req, body);
  if (request.path.startsWith(AVATAR_PREFIX)) {
    // Images, as WeChat's CDN serves them: not API calls, so neither counted nor faulted.
    const avatar = answerAvatar(request.method, request.path);
    res.writeHead(avatar.status, {
      ...avatar.headers,
      'Content-Length': Buffer.byteLength(avatar.body),
    });
    res.end(request.method === 'HEAD' ? undefined : avatar.body);
    return;
  }
  const { controls } = ctx.options;
  if (!controls || !isControlPath(request.path)) {
    await answerWechat(ctx, req, res, request, body !== undefined);
    return;
  }
  try {
    writeControl(res, await answerControl(controls, request, undefined));
  } catch (error) {
    console.error('wechat emulator: control failed', request.path, error);
    writeControl(res, { status: 500, body: { error: 'emulator bug, see its stderr' } });
  }
}

/** Every open connection, so that close() can cut hung and kept-alive ones. */
function trackSockets(server: Server): ReadonlySet<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Listens and resolves with the base URL (the port is the one given, or the one picked). */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('wechat emulator: expected a TCP address');
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/**
 * The HTTP side of the emulator: WeChat's wire format (HTTP 200 errors, `rid` suffix, JSON
 * served as `application/json; encoding=utf-8` on /cgi-bin and as `text/plain` on /sns), call
 * counting, the injected faults, and the controls when asked for.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const waits = createWaits();
  let closed = false;
  const ctx: RequestContext = { options, waits, isClosed: () => closed };
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((error: unknown) => {
      console.error('wechat emulator: request failed', error);
      res.destroy();
    });
  });
  const sockets = trackSockets(server);
  const url = await listen(server, options.port, options.host);
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        waits.releaseAll();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
