/**
 * Redis servers of a test's own, beside the shared one at 127.0.0.1:6379: each on a spare
 * loopback port, with no persistence (a restarted server starts empty, as after a crash without a
 * dump), stopped by PID. A server the test can kill, hang (SIGSTOP), resume (SIGCONT) and restart
 * on the same port, plain or answering only TLS (certificates made here with the openssl CLI);
 * and a three-node Redis Cluster. `redis-server` from PATH, or REDIS_SERVER_BIN.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as connectPlain } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import { freePort } from './ports.js';
import { startChild, type Child } from './processes.js';

const run = promisify(execFile);

const START_TIMEOUT_MS = 10_000;
const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'];

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
    // Replies here are ASCII (keys, CLIENT LIST, CLUSTER INFO), so characters count as bytes.
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

export interface CommandOptions {
  /** Rejects when Redis has not answered within this; default 1 s. */
  timeoutMs?: number;
  /** TLS, trusting this CA (PEM). */
  ca?: string;
}

/**
 * One command on a fresh connection, no retries: for the tests' own checks, not the gateway's
 * clients (a hung server must make it fail, not wait).
 */
export function redisCommand(
  port: number,
  args: readonly string[],
  { timeoutMs = 1_000, ca }: CommandOptions = {},
): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket =
      ca === undefined
        ? connectPlain(port, '127.0.0.1')
        : connectTls({ host: '127.0.0.1', port, ca });
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

/** A redis-server process; its output is kept for failure messages, its banner left out. */
function startNode(port: number, args: readonly string[]): Child {
  return startChild(process.env.REDIS_SERVER_BIN ?? 'redis-server', args, {
    name: `redis:${port}`,
    env: process.env,
    keepLines: 200,
    bannerEnd: /Ready to accept connections/,
  });
}

/** Polls `check` until it holds; kills the node and throws with its output if it never does. */
async function until(node: Child, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (node.exitStatus() !== undefined || Date.now() > deadline) {
      const how = node.exitStatus() ?? 'no answer';
      await node.stop('SIGKILL');
      throw new Error(
        `${what} (${how}); is redis-server installed (REDIS_SERVER_BIN)?\n${node.output()}`,
      );
    }
    await sleep(50);
  }
}

/**
 * A CA and a server certificate for 127.0.0.1 and localhost in `dir`, made by the openssl CLI;
 * resolves with the CA's PEM.
 */
async function makeCertificates(dir: string): Promise<string> {
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const newKey = ['-newkey', 'rsa:2048', '-nodes'];
  await openssl(
    'req',
    '-x509',
    ...newKey,
    '-days',
    '1',
    '-subj',
    '/CN=wgg test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  await writeFile(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    'req',
    ...newKey,
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.crt',
  );
  return readFile(join(dir, 'ca.crt'), 'utf8');
}

/** The arguments that make a node answer only TLS on `port` (and TLS on its cluster bus). */
function tlsArgs(port: number, certs: string): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    join(certs, 'server.crt'),
    '--tls-key-file',
    join(certs, 'server.key'),
    '--tls-ca-cert-file',
    join(certs, 'ca.crt'),
    '--tls-auth-clients',
    'no',
  ];
}

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:<port>, or rediss:// for a TLS server. */
  readonly url: string;
  /** A TLS server's CA (it signed the server certificate): its file and its PEM. */
  readonly caFile?: string;
  readonly caPem?: string;
  /** The server process now, undefined while not running. */
  process(): Child | undefined;
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
  /** One command (over TLS for a TLS server). */
  command(args: readonly string[], timeoutMs?: number): Promise<RedisReply>;
  /** Every key in the server (it is the test's own: nothing else writes to it), sorted. */
  keys(): Promise<string[]>;
  /** Connected clients other than the connection asking. */
  clientCount(): Promise<number>;
  /** Stops it for good (by PID) and removes its files. */
  stop(): Promise<void>;
}

export interface TlsRedis extends RedisServer {
  readonly caFile: string;
  readonly caPem: string;
}

/**
 * A redis-server on a spare port; not started until `start()` (so a test can start without it).
 * `tls`: it answers only TLS (`--port 0`), its certificates in a temp dir.
 */
export async function createRedisServer(options: { tls?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = options.tls ? await mkdtemp(join(tmpdir(), 'wgg-redis-tls-')) : undefined;
  const caPem = dir === undefined ? undefined : await makeCertificates(dir);
  const args = [
    ...(dir === undefined ? ['--port', String(port)] : [...tlsArgs(port, dir), '--dir', dir]),
    ...NO_PERSISTENCE,
  ];
  let node: Child | undefined;

  const command = (commandArgs: readonly string[], timeoutMs?: number) =>
    redisCommand(port, commandArgs, { timeoutMs, ca: caPem });
  const answers = async (timeoutMs = 500): Promise<boolean> =>
    (await command(['PING'], timeoutMs).catch(() => undefined)) === 'PONG';
  const kill = async (): Promise<void> => {
    const current = node;
    node = undefined;
    await current?.stop('SIGKILL');
  };

  return {
    port,
    url: `${dir === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    ...(dir === undefined ? {} : { caFile: join(dir, 'ca.crt'), caPem }),
    process: () => node,
    async start() {
      if (node !== undefined) throw new Error(`redis on port ${port} is already running`);
      const started = startNode(port, args);
      node = started;
      await until(started, `redis-server did not start on port ${port}`, () => answers(200)).catch(
        (error: unknown) => {
          node = undefined;
          throw error;
        },
      );
    },
    kill,
    hang: () => node?.signal('SIGSTOP'),
    resume: () => node?.signal('SIGCONT'),
    answers,
    command,
    async keys() {
      const reply = await command(['KEYS', '*']);
      return Array.isArray(reply) ? reply.map(String).sort() : [];
    },
    async clientCount() {
      const list = await command(['CLIENT', 'LIST']);
      if (typeof list !== 'string') throw new Error('unexpected CLIENT LIST reply');
      return list
        .split('\n')
        .filter((line) => line.trim() !== '' && !/ cmd=client\|list /.test(` ${line} `)).length;
    },
    async stop() {
      await kill();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A plain redis-server of the test's own, started. */
export async function startPlainRedis(): Promise<RedisServer> {
  const server = await createRedisServer();
  await server.start();
  return server;
}

/** A redis-server answering only TLS, started. */
export async function startTlsRedis(): Promise<TlsRedis> {
  const server = await createRedisServer({ tls: true });
  const { caFile, caPem } = server;
  if (caFile === undefined || caPem === undefined) throw new Error('no CA for a TLS server');
  await server.start();
  return { ...server, caFile, caPem };
}

export interface TestCluster {
  readonly ports: readonly number[];
  /** Seed URLs of every node, comma-separated: what TOKEN_STORE holds with REDIS_CLUSTER. */
  readonly spec: string;
  /** TLS clusters: the PEM of the CA that signed every node's certificate. */
  readonly caPem?: string;
  /** The slot of `key` (CLUSTER KEYSLOT). */
  keyslot(key: string): Promise<number>;
  /** Every key on every node, sorted. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

function clusterNodeArgs(port: number, busPort: number, nodeDir: string, certs?: string): string[] {
  return [
    ...(certs === undefined
      ? ['--port', String(port)]
      : [...tlsArgs(port, certs), '--tls-cluster', 'yes']),
    '--cluster-enabled',
    'yes',
    '--cluster-port',
    String(busPort),
    '--cluster-config-file',
    join(nodeDir, 'nodes.conf'),
    '--cluster-node-timeout',
    '2000',
    '--dir',
    nodeDir,
    ...NO_PERSISTENCE,
  ];
}

/**
 * Three masters, no replicas (`redis-cli --cluster create`); resolves once every node says
 * `cluster_state:ok`. `tls`: every node answers only TLS (client port and cluster bus).
 */
export async function startRedisCluster(options: { tls?: boolean } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wgg-redis-cluster-'));
  const nodes: Child[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    await rm(dir, { recursive: true, force: true });
  };
  let caPem: string | undefined;
  const command = (port: number, args: readonly string[]) =>
    redisCommand(port, args, { ca: caPem });
  try {
    if (options.tls) caPem = await makeCertificates(dir);
    const certs = options.tls ? dir : undefined;
    for (let i = 0; i < 3; i += 1) {
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      ports.push(port);
      nodes.push(startNode(port, clusterNodeArgs(port, busPort, nodeDir, certs)));
    }
    const eachNode = (what: string, check: (port: number) => Promise<boolean>) =>
      Promise.all(
        nodes.map((node, i) => {
          const port = ports[i] ?? 0;
          return until(node, `${what} on ${port}`, () => check(port));
        }),
      );
    await eachNode('cluster node did not start', async (port) => {
      return (await command(port, ['PING'])) === 'PONG';
    });
    await run('redis-cli', [
      ...(options.tls ? ['--tls', '--cacert', join(dir, 'ca.crt')] : []),
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await eachNode('cluster not ok', async (port) => {
      const info = await command(port, ['CLUSTER', 'INFO']);
      return typeof info === 'string' && info.includes('cluster_state:ok');
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const [first = 0] = ports;
  const scheme = options.tls ? 'rediss' : 'redis';
  return {
    ports,
    spec: ports.map((port) => `${scheme}://127.0.0.1:${port}`).join(','),
    ...(caPem === undefined ? {} : { caPem }),
    async keyslot(key) {
      return Number(await command(first, ['CLUSTER', 'KEYSLOT', key]));
    },
    async keys() {
      const replies = await Promise.all(ports.map((port) => command(port, ['KEYS', '*'])));
      return replies.flatMap((reply) => (Array.isArray(reply) ? reply.map(String) : [])).sort();
    },
    stop,
  };
}
