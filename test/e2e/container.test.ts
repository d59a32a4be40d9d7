/**
 * The Dockerfile, run step by step on the host: these machines have a docker client but no
 * engine and no registry, so `docker build` cannot run here. This test reads the Dockerfile and
 * does what an engine would do with each instruction, in one temporary directory per stage:
 * COPY copies from the repository (minus .dockerignore's entries) or from an earlier stage, RUN
 * runs the command with `sh -c` in the stage's WORKDIR with this test's Node 22 first in PATH,
 * ENV sets variables, USER makes the final command run as that user. Then it starts CMD as the
 * image would (with compose's settings: SANDBOX=1, no drain delay), runs HEALTHCHECK's command
 * until it passes, and sends SIGTERM.
 *
 * What differs from a real image, on purpose: the base image (`node:22-bookworm-slim`) is this
 * machine with the Node that runs the tests; absolute paths in RUN under the stage's WORKDIR are
 * mapped into the stage directory; the image's `node` user is this machine's `nobody` (no `node`
 * user exists here); the process is not PID 1. A container engine would also apply the
 * HEALTHCHECK timing options, which this test does not.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import {
  childEnv,
  REPO_ROOT,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

/** This machine's stand-in for the image's `node` user. */
const RUN_AS = { name: 'nobody', uid: 65534, gid: 65534 };

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = ''] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

/** `["a", "b"]` (exec form) as an array; shell form as `sh -c`. */
function commandOf(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['sh', '-c', args];
}

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
}

interface Image {
  final: Stage;
  cmd: string[];
  healthcheck: string[];
  stopSignal: string;
  expose: string[];
  steps: string[];
}

const ignored = new Set(
  readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

function run(command: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file = 'sh', ...args] = command;
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command.join(' ')}: ${code}\n${output}`)),
    );
  });
}

/** Builds the image into `base`, one directory per stage; returns what the final stage runs. */
async function build(base: string): Promise<Image> {
  const stages: Stage[] = [];
  const steps: string[] = [];
  const image: Partial<Image> = { expose: [], stopSignal: 'SIGTERM' };
  const inStage = (stage: Stage, path: string) =>
    join(stage.root, path.startsWith('/') ? path : join(stage.workdir, path));
  for (const { keyword, args } of parseDockerfile(
    readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'),
  )) {
    const stage = stages.at(-1);
    steps.push(`${keyword} ${args}`);
    if (keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`;
      const root = join(base, name);
      mkdirSync(root, { recursive: true });
      chmodSync(root, 0o755);
      // The base image's Node, where node:22 images keep it; this test's Node 22 may sit in a
      // directory the unprivileged user cannot enter (a CI clone), so the stage gets its own copy.
      const bin = join(root, 'usr/local/bin');
      mkdirSync(bin, { recursive: true });
      copyFileSync(process.execPath, join(bin, 'node'));
      chmodSync(join(bin, 'node'), 0o755);
      for (const dir of ['usr/local', 'usr']) chmodSync(join(root, dir), 0o755);
      stages.push({
        name,
        root,
        workdir: '/',
        env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` },
      });
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    if (keyword === 'WORKDIR') {
      stage.workdir = args;
      mkdirSync(inStage(stage, '.'), { recursive: true });
    } else if (keyword === 'ENV') {
      for (const [, key = '', value = ''] of args.matchAll(/(\w+)=(\S+)/g)) stage.env[key] = value;
    } else if (keyword === 'COPY') {
      const words = args.split(/\s+/);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      const destination = paths.pop() ?? '.';
      const source = from ? stages.find((s) => s.name === from) : undefined;
      for (const path of paths) {
        const origin = source ? inStage(source, path) : join(REPO_ROOT, path);
        const target = inStage(stage, destination);
        const into = destination.endsWith('/') ? join(target, basename(path)) : target;
        mkdirSync(dirname(into), { recursive: true });
        cpSync(origin, into, {
          recursive: true,
          // .dockerignore's entries are top-level names of the build context.
          filter: (file) =>
            source !== undefined || !ignored.has(file.slice(REPO_ROOT.length).split('/')[0] ?? ''),
        });
      }
    } else if (keyword === 'RUN') {
      const command = args
        .replaceAll(`${stage.workdir}/`, `${inStage(stage, '.')}/`)
        .replaceAll('node:node', `${RUN_AS.uid}:${RUN_AS.gid}`);
      await run(['sh', '-c', command], inStage(stage, '.'), { ...process.env, ...stage.env });
    } else if (keyword === 'USER') {
      stage.user = args;
    } else if (keyword === 'CMD') {
      image.cmd = commandOf(args);
    } else if (keyword === 'HEALTHCHECK') {
      image.healthcheck = commandOf(args.slice(args.indexOf('CMD') + 3).trim());
    } else if (keyword === 'STOPSIGNAL') {
      image.stopSignal = args;
    } else if (keyword === 'EXPOSE') {
      image.expose?.push(args);
    } else {
      throw new Error(`Dockerfile instruction this test does not know: ${keyword}`);
    }
  }
  const final = stages.at(-1);
  if (!final || !image.cmd || !image.healthcheck)
    throw new Error('no final stage, CMD or HEALTHCHECK');
  return { ...(image as Image), final, steps };
}

describe('the Dockerfile, its steps run on the host', () => {
  let base: string | undefined;
  let gateway: Child | undefined;
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('builds (npm ci, build, prune), runs as a non-root user, passes HEALTHCHECK, and stops on SIGTERM', async () => {
    base = await mkdtemp(join(tmpdir(), 'wgg-image-'));
    chmodSync(base, 0o755);
    const image = await build(base);
    const { final } = image;
    const app = join(final.root, final.workdir);

    // Multi-stage, production only: no TypeScript, no tsx, no sources in the final stage.
    expect(image.steps.filter((step) => step.startsWith('FROM'))).toHaveLength(2);
    expect(existsSync(join(app, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/graphql-yoga'))).toBe(true);
    for (const absent of ['node_modules/typescript', 'node_modules/tsx', 'src', '.env']) {
      expect(existsSync(join(app, absent)), absent).toBe(false);
    }
    expect(final.user).toBe('node');
    expect(final.env['NODE_ENV']).toBe('production');
    expect(image.expose).toEqual(['4000']);

    // As docker-compose.yml starts it: sandbox on purpose, no drain delay.
    const port = String(await freePort());
    const env = childEnv({ ...final.env, PORT: port, SANDBOX: '1', SHUTDOWN_DELAY_MS: '0' });
    const [command = 'node', ...args] = image.cmd;
    gateway = startChild(command, args, { cwd: app, env, uid: RUN_AS.uid, gid: RUN_AS.gid });
    // Generous: a loaded 2-core machine starts a cold Node process slowly.
    await waitListening(gateway, 60_000);
    await expect
      .poll(
        () =>
          run(image.healthcheck, app, env).then(
            () => 'healthy',
            () => 'unhealthy',
          ),
        {
          timeout: 20_000,
          interval: 500,
        },
      )
      .toBe('healthy');
    const graphql = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    // The sandbox's H5 example, bundled into dist/ by the build: served by the image too.
    expect((await fetch(`http://127.0.0.1:${port}/sandbox/h5/`)).status).toBe(200);

    expect(await gateway.stop(image.stopSignal as NodeJS.Signals)).toEqual({
      code: 0,
      signal: null,
    });
    expect(gateway.stderr).toEqual([]);
  }, 600_000);
});
