/**
 * The fleet suite's own mechanics, checked where they can be checked cheaply: the redis-server
 * controller really kills, hangs, resumes and restarts its server; child processes are stopped
 * even when they ignore SIGTERM; the load generator counts every answer, by code, exactly as the
 * server sent it. (That the suite counts token calls and client errors end to end is checked in
 * the healthy phases of the scenarios: exactly 1 call for a cold stampede, 7 injected upstream
 * errors counted as 7.)
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../support/ports.js';
import { processExists, startChild, type Child } from '../support/processes.js';
import { createRedisServer, redisCommand, type RedisServer } from '../support/redis-servers.js';
import { startLoad } from './support/load.js';

describe('redis-server controller', () => {
  let redis: RedisServer | undefined;
  afterEach(async () => redis?.stop());

  it('starts, hangs, resumes, kills and restarts a server on its own port, and stops it by PID', async () => {
    redis = await createRedisServer();
    expect(await redis.answers()).toBe(false);
    await redis.start();
    const first = redis.process()?.pid ?? 0;
    expect(await redisCommand(redis.port, ['SET', 'k', 'v'])).toBe('OK');
    expect(await redis.clientCount()).toBe(0);

    redis.hang();
    expect(await redis.answers(300)).toBe(false);
    redis.resume();
    expect(await redis.answers(2_000)).toBe(true);
    expect(await redisCommand(redis.port, ['GET', 'k'])).toBe('v');

    await redis.kill();
    expect(processExists(first)).toBe(false);
    expect(await redis.answers()).toBe(false);
    await redis.start();
    // A restarted server starts empty (no persistence), on the same port.
    expect(await redisCommand(redis.port, ['GET', 'k'])).toBe(null);
    const second = redis.process()?.pid ?? 0;
    expect(second).not.toBe(first);

    redis.hang();
    await redis.stop();
    expect(processExists(second)).toBe(false);
  });
});

describe('child processes', () => {
  let child: Child | undefined;
  afterEach(async () => child?.stop('SIGKILL'));

  it('are killed when they ignore SIGTERM, and an early exit fails a wait with its output', async () => {
    child = startChild(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"],
      { name: 'stubborn', env: process.env, killAfterMs: 200 },
    );
    await child.waitForLine(/^up$/, 'up', 5_000);
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(child.exitStatus()).toBe('signal SIGKILL');

    child = startChild(process.execPath, ['-e', "console.error('bye'); process.exit(3)"], {
      name: 'quitter',
      env: process.env,
    });
    await expect(child.waitForLine(/never/, 'a line never printed', 5_000)).rejects.toThrow(
      /quitter exited \(exit code 3\) before a line never printed\nstdout:\n\nstderr:\nbye/,
    );
    expect(child.stderr).toEqual(['bye']);
  });
});

describe('load generator', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('counts every answer by what a client sees, exactly as the server sent them', async () => {
    const sent = { ok: 0, graphql: 0, http: 0, wrong: 0 };
    let n = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        n += 1;
        const kind = n % 4;
        if (kind === 0) {
          sent.ok += 1;
          res.end('{"data":{"userInfo":{"openid":"o-1","subscribed":true}}}');
        } else if (kind === 1) {
          sent.graphql += 1;
          res.end('{"errors":[{"message":"x","extensions":{"code":"UPSTREAM_UNAVAILABLE"}}]}');
        } else if (kind === 2) {
          sent.http += 1;
          res.writeHead(503).end('busy');
        } else {
          sent.wrong += 1;
          res.end('{"data":{"userInfo":{"openid":"o-2","subscribed":true}}}');
        }
      });
    });
    const { port } = await listenOnLoopback(server);

    const load = startLoad([{ name: 'stub', endpoint: `http://127.0.0.1:${port}/graphql` }], {
      openid: 'o-1',
      connections: 3,
      pauseMs: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = await load.stop();
    expect(counts.requests).toBe(n);
    expect(counts.errors).toBe(n - sent.ok);
    expect(counts.byCode).toEqual({
      UPSTREAM_UNAVAILABLE: sent.graphql,
      HTTP_503: sent.http,
      WRONG_DATA: sent.wrong,
    });
    expect(counts.perTarget).toEqual({ stub: { requests: n, errors: n - sent.ok } });
    expect(load.samples().length).toBeGreaterThan(0);
  });
});
