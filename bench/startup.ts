/**
 * Issue 12: start time and memory of `npm start` (tsx on the TypeScript sources) against the
 * production build (`npm run build`, then `npm run start:prod`: plain node on dist/). Each is
 * spawned through npm as an operator would, with the configuration of row (c); start time is
 * from spawn to the first 200 of /readyz; memory is the gateway's processes' RSS (node and any
 * child, e.g. tsx's esbuild), a second after ready and after a short load.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { request } from 'undici';
import { runLoad, type Target } from './load.js';
import { ROOT, startProcess } from './processes.js';
import { childPids, peakRssMb, processTree, rssMb } from './proc-stats.js';

export type Build = 'npm start' | 'npm run start:prod';

export interface StartupRun {
  build: Build;
  readyMs: number;
  /** The gateway and its children (tsx may start esbuild). */
  processes: number;
  rssAfterStartMb: number;
  /** Only for the last run of each build. */
  rssAfterLoadMb?: number;
  peakRssMb?: number;
  loadRps?: number;
}

export interface Startup {
  buildMs: number;
  loadSeconds: number;
  loadConnections: number;
  runs: StartupRun[];
}

const SCRIPTS: Record<Build, string> = { 'npm start': 'start', 'npm run start:prod': 'start:prod' };
const LISTENING = /"url":"(http:\/\/[^"]+)".*"msg":"wechat-graphql-gateway listening"/;

/** npm itself: the one running this bench when started with `npm run bench`. */
function npm(args: string[]): [string, string[]] {
  const cli = process.env['npm_execpath'];
  return cli && cli.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
}

async function readyAfter(origin: string): Promise<number> {
  for (;;) {
    try {
      const response = await request(`${origin}/readyz`);
      await response.body.dump();
      if (response.statusCode === 200) return performance.now();
    } catch {
      // Not answering yet.
    }
    await sleep(5);
  }
}

const treeRss = (pid: number) => processTree(pid).reduce((mb, p) => mb + rssMb(p), 0);

async function startOnce(
  build: Build,
  env: Record<string, string>,
  load?: { target: Target; seconds: number; connections: number },
): Promise<StartupRun> {
  const [command, args] = npm(['run', '--silent', SCRIPTS[build]]);
  const proc = await startProcess(build, command, args, { env, ready: LISTENING });
  try {
    const origin = new URL(proc.url).origin;
    const readyMs = (await readyAfter(origin)) - proc.spawnedAt;
    // npm runs `exec node …` in a shell: its child is the gateway.
    const [gateway] = childPids(proc.pid);
    if (gateway === undefined) throw new Error(`${build}: no gateway process under npm`);
    await sleep(1000);
    const run: StartupRun = {
      build,
      readyMs,
      processes: processTree(gateway).length,
      rssAfterStartMb: treeRss(gateway),
    };
    if (load) {
      const result = await runLoad(
        { ...load.target, url: proc.url },
        load.seconds,
        load.connections,
      );
      run.loadRps = result.rps;
      run.rssAfterLoadMb = treeRss(gateway);
      run.peakRssMb = peakRssMb(gateway);
    }
    return run;
  } finally {
    // npm passes SIGTERM on to the gateway (README, "Production build and start").
    await proc.stop();
  }
}

export async function measureStartup(options: {
  env: Record<string, string>;
  /** Row (c)'s requests and answers: the same configuration answers them the same. */
  target: Target;
  runs: number;
  loadSeconds: number;
  loadConnections: number;
}): Promise<Startup> {
  const started = performance.now();
  const [command, args] = npm(['run', '--silent', 'build']);
  await promisify(execFile)(command, args, { cwd: ROOT, env: options.env });
  const buildMs = performance.now() - started;
  const runs: StartupRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    for (const build of Object.keys(SCRIPTS) as Build[]) {
      const load =
        i === options.runs
          ? {
              target: options.target,
              seconds: options.loadSeconds,
              connections: options.loadConnections,
            }
          : undefined;
      runs.push(await startOnce(build, options.env, load));
    }
  }
  return {
    buildMs,
    loadSeconds: options.loadSeconds,
    loadConnections: options.loadConnections,
    runs,
  };
}
