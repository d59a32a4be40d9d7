import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CallCounter } from './call-counter.js';
import { CONTROL_PREFIX, type ControlAnswer } from './controls.js';
import type { ControlRoute } from './control-routes.js';
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
  /**
   * Login-code minting of `npm run emulator` (see control-routes.ts): not WeChat endpoints, so
   * not counted, not faulted, plain JSON.
   */
  codeRoutes?: ReadonlyMap<string, ControlRoute>;
  /**
   * Read-only views served whatever the options (e.g. the send log at `/__emulator/sent-messages`):
   * not counted, never faulted.
   */
  inspectRoutes?: ReadonlyMap<string, () => object>;
  faults: Faults;
  calls: CallCounter;
  nextRid(): string;
  /** The `/__emulator/…` controls; without them those paths are unknown APIs like any other. */
  controls?: (req: EmulatorRequest) => ControlAnswer;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly reply: Reply;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
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

/**
 * The emulator's own endpoints (login-code routes, read-only views, test controls), which are
 * never counted or faulted. True when `request` was one of them and has been answered.
 */
function answerOwnEndpoint(
  options: ServerOptions,
  request: EmulatorRequest,
  res: ServerResponse,
): boolean {
  const codeRoute = options.codeRoutes?.get(request.path);
  if (codeRoute) {
    const { method, query, body, contentType } = request;
    writeControl(res, codeRoute({ method, query, body, contentType }));
    return true;
  }
  const inspect = options.inspectRoutes?.get(request.path);
  if (inspect) {
    writeReply(res, request.path, { status: 200, reply: { ok: true, body: inspect() } }, () => '');
    return true;
  }
  if (options.controls && request.path.startsWith(CONTROL_PREFIX)) {
    writeControl(res, options.controls(request));
    return true;
  }
  return false;
}

/**
 * The HTTP side of the emulator: WeChat's wire format (HTTP 200 errors, `rid` suffix, JSON
 * served as `application/json; encoding=utf-8` on /cgi-bin and as `text/plain` on /sns), call
 * counting, and the injected faults.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { routes, faults, calls } = options;
  const sockets = new Set<Socket>();
  const waits = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  let closed = false;

  const send = (res: ServerResponse, path: string, answer: Answer): void =>
    writeReply(res, path, answer, options.nextRid);

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      waits.add(entry);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      url = new URL('http://emulator.invalid/');
    }
    const body = await readBody(req);
    if (closed || req.socket.destroyed) return;
    const path = url.pathname;
    const route = routes.get(path);
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body: body ?? '',
      contentType: mediaType(req.headers['content-type']),
    };
    if (answerOwnEndpoint(options, request, res)) return;
    calls.record(path, route?.appIdOf(request));
    const latency = faults.latencyFor(path);
    if (latency > 0) {
      await delay(latency);
      if (closed) return;
    }
    const fault = faults.take(path);
    if (fault?.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    // A hung request keeps its socket open until close() destroys it.
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'drop') {
      // Carried out, then the connection is cut: the caller never learns that it was.
      if (body !== undefined) dispatch(route, request);
      req.socket.resetAndDestroy();
      return;
    }
    if (fault) {
      send(res, path, { status: 200, reply: fail(fault.errcode, fault.errmsg) });
    } else if (body === undefined) {
      send(res, path, { status: 200, reply: fail(47001) });
    } else {
      send(res, path, dispatch(route, request));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('wechat emulator: request failed', error);
      res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('wechat emulator: expected a TCP address');
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const wait of waits) {
          clearTimeout(wait.timer);
          wait.done();
        }
        waits.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
