/**
 * Redis servers of a test's own, beside the shared one at 127.0.0.1:6379: one behind TLS
 * (certificates made here with the openssl CLI), one plain (to see every key written), and a
 * three-node Redis Cluster. Loopback ports, data in a temp dir, stopped by PID; no persistence.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { redisCommand, type RedisReply } from '../fleet/support/redis-server.js';
import { freePort } from './processes.js';

const run = promisify(execFile);
const START_TIMEOUT_MS = 10_000;
const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'];

interface Server {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startServer(args: readonly string[]): Server {
  const child = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + String(chunk)).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + String(chunk)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
      await exited;
    },
  };
}

async function until(what: string, server: Server, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (server.child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`${what} (is redis-server installed?)\n${server.output()}`);
    }
    await sleep(50);
  }
}

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Every key in the server (it is the test's own: nothing else writes to it). */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A plain redis-server of the test's own. */
export async function startPlainRedis(): Promise<TestRedis> {
  const port = await freePort();
  const server = startServer(['--port', String(port), ...NO_PERSISTENCE]);
  await until(`redis-server did not start on ${port}`, server, async () => {
    return (await redisCommand(port, ['PING'], 200)) === 'PONG';
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async keys() {
      const reply = await redisCommand(port, ['KEYS', '*']);
      return Array.isArray(reply) ? reply.map(String).sort() : [];
    },
    stop: () => server.stop(),
  };
}

export interface TlsRedis {
  readonly port: number;
  /** rediss://127.0.0.1:<port> */
  readonly url: string;
  /** The CA that signed the server certificate: its file, and its PEM. */
  readonly caFile: string;
  readonly caPem: string;
  /** A command over TLS (the server has no plain port). */
  command(args: readonly string[]): Promise<RedisReply>;
  stop(): Promise<void>;
}

/** A CA and a server certificate for 127.0.0.1 and localhost, made by the openssl CLI. */
async function makeCertificates(dir: string): Promise<void> {
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
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
    '-newkey',
    'rsa:2048',
    '-nodes',
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
}

/** RESP over TLS, for one command on a fresh connection. */
function tlsCommand(port: number, ca: string, args: readonly string[]): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca });
    let received = '';
    const timer = setTimeout(() => done(new Error(`no TLS reply from ${port}`)), 1_000);
    const done = (error?: Error, value?: RedisReply) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? null);
    };
    socket.setEncoding('utf8');
    socket.on('error', (error) => done(error));
    socket.on('data', (chunk: string) => {
      received += chunk;
      // Enough for these helpers: simple strings, integers and bulk strings.
      const match = /^(?:[+:](.*)|\$(-?\d+)\r\n([\s\S]*))\r\n$/.exec(received);
      if (received.startsWith('-')) done(new Error(received.trim()));
      else if (match) done(undefined, match[1] ?? match[3] ?? null);
    });
    socket.write(
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
    );
  });
}

/** A redis-server answering only TLS (`--port 0`), certificates in a temp dir. */
export async function startTlsRedis(): Promise<TlsRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'wgg-redis-tls-'));
  await makeCertificates(dir);
  const caPem = await readFile(join(dir, 'ca.crt'), 'utf8');
  const port = await freePort();
  const server = startServer([
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    join(dir, 'server.crt'),
    '--tls-key-file',
    join(dir, 'server.key'),
    '--tls-ca-cert-file',
    join(dir, 'ca.crt'),
    '--tls-auth-clients',
    'no',
    '--dir',
    dir,
    ...NO_PERSISTENCE,
  ]);
  const command = (args: readonly string[]) => tlsCommand(port, caPem, args);
  await until(`TLS redis-server did not start on ${port}`, server, async () => {
    return (await command(['PING'])) === 'PONG';
  });
  return {
    port,
    url: `rediss://127.0.0.1:${port}`,
    caFile: join(dir, 'ca.crt'),
    caPem,
    command,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCluster {
  readonly ports: readonly number[];
  /** Seed URLs of every node, comma-separated: what TOKEN_STORE holds with REDIS_CLUSTER. */
  readonly spec: string;
  /** The slot of `key` (CLUSTER KEYSLOT). */
  keyslot(key: string): Promise<number>;
  /** Every key on every node. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Three masters, no replicas (`redis-cli --cluster create`); resolves once every node says
 * `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wgg-redis-cluster-'));
  const servers: Server[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i += 1) {
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      ports.push(port);
      servers.push(
        startServer([
          '--port',
          String(port),
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
        ]),
      );
    }
    await Promise.all(
      servers.map((server, i) =>
        until(`cluster node did not start on ${ports[i]}`, server, async () => {
          return (await redisCommand(ports[i] ?? 0, ['PING'], 200)) === 'PONG';
        }),
      ),
    );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(
      servers.map((server, i) =>
        until(`cluster not ok on ${ports[i]}`, server, async () => {
          const info = await redisCommand(ports[i] ?? 0, ['CLUSTER', 'INFO'], 200);
          return typeof info === 'string' && info.includes('cluster_state:ok');
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const [first = 0] = ports;
  return {
    ports,
    spec: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    async keyslot(key) {
      return Number(await redisCommand(first, ['CLUSTER', 'KEYSLOT', key]));
    },
    async keys() {
      const replies = await Promise.all(ports.map((port) => redisCommand(port, ['KEYS', '*'])));
      return replies.flatMap((reply) => (Array.isArray(reply) ? reply.map(String) : [])).sort();
    },
    stop,
  };
}
