/**
 * Redis servers of a test's own, beside the shared one at 127.0.0.1:6379: one behind TLS
 * (certificates made here with the openssl CLI), one plain (to see every key written), and a
 * three-node Redis Cluster. Loopback ports, data in a temp dir, stopped by PID; no persistence.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';

const run = promisify(execFile);

/**
 * One command on a fresh connection (TLS with `ca`), no retries: for the helpers' own checks,
 * not the gateway's clients.
 */
async function nodeCommand(port: number, args: readonly string[], ca?: string): Promise<unknown> {
  const [command = 'PING', ...rest] = args;
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...(ca === undefined ? {} : { tls: { ca } }),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command, ...rest);
  } finally {
    client.disconnect();
  }
}
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
    return (await nodeCommand(port, ['PING'])) === 'PONG';
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async keys() {
      const reply = await nodeCommand(port, ['KEYS', '*']);
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
  command(args: readonly string[]): Promise<unknown>;
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
  const command = (args: readonly string[]) => nodeCommand(port, args, caPem);
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
  /** TLS clusters: the PEM of the CA that signed every node's certificate. */
  readonly caPem?: string;
  /** The slot of `key` (CLUSTER KEYSLOT). */
  keyslot(key: string): Promise<number>;
  /** Every key on every node. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

function clusterNodeArgs(port: number, busPort: number, nodeDir: string, certs?: string): string[] {
  const tls =
    certs === undefined
      ? ['--port', String(port)]
      : [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cluster',
          'yes',
          '--tls-cert-file',
          join(certs, 'server.crt'),
          '--tls-key-file',
          join(certs, 'server.key'),
          '--tls-ca-cert-file',
          join(certs, 'ca.crt'),
          '--tls-auth-clients',
          'no',
        ];
  return [
    ...tls,
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
  const servers: Server[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  let caPem: string | undefined;
  try {
    if (options.tls) {
      await makeCertificates(dir);
      caPem = await readFile(join(dir, 'ca.crt'), 'utf8');
    }
    const certs = options.tls ? dir : undefined;
    for (let i = 0; i < 3; i += 1) {
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      ports.push(port);
      servers.push(startServer(clusterNodeArgs(port, busPort, nodeDir, certs)));
    }
    await Promise.all(
      servers.map((server, i) =>
        until(`cluster node did not start on ${ports[i]}`, server, async () => {
          return (await nodeCommand(ports[i] ?? 0, ['PING'], caPem)) === 'PONG';
        }),
      ),
    );
    await run('redis-cli', [
      ...(options.tls ? ['--tls', '--cacert', join(dir, 'ca.crt')] : []),
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
          const info = await nodeCommand(ports[i] ?? 0, ['CLUSTER', 'INFO'], caPem);
          return typeof info === 'string' && info.includes('cluster_state:ok');
        }),
      ),
    );
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
      return Number(await nodeCommand(first, ['CLUSTER', 'KEYSLOT', key], caPem));
    },
    async keys() {
      const replies = await Promise.all(
        ports.map((port) => nodeCommand(port, ['KEYS', '*'], caPem)),
      );
      return replies.flatMap((reply) => (Array.isArray(reply) ? reply.map(String) : [])).sort();
    },
    stop,
  };
}
