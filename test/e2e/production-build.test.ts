/**
 * The production build as an operator deploys it: `npm run build`'s output next to package.json
 * and the production dependencies only (as `npm ci --omit=dev` leaves them: no tsx, no
 * TypeScript), started with plain `node`. It serves in sandbox mode, and in live mode against the
 * standalone emulator, itself started from the build.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_APPS } from '../../src/emulator/index.js';
import {
  childEnv,
  REPO_ROOT,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

let deployDir: string;

/** Top-level packages of the lockfile that `npm ci --omit=dev` installs. */
async function productionPackages(): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !entry.dev)
    .map(([path]) => path);
}

async function build(outDir: string): Promise<void> {
  const child = spawn(process.execPath, ['scripts/build.mjs', '--out-dir', outDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output}`);
}

beforeAll(async () => {
  deployDir = await mkdtemp(join(tmpdir(), 'wgg-dist-'));
  await build(join(deployDir, 'dist'));
  await writeFile(
    join(deployDir, 'package.json'),
    await readFile(join(REPO_ROOT, 'package.json'), 'utf8'),
  );
  for (const path of await productionPackages()) {
    const target = join(REPO_ROOT, path);
    if (!existsSync(target)) continue; // an optional package this platform does not install
    await mkdir(dirname(join(deployDir, path)), { recursive: true });
    await symlink(target, join(deployDir, path), 'dir');
  }
}, 120_000);

afterAll(async () => {
  if (deployDir) await rm(deployDir, { recursive: true, force: true });
});

/** Plain node, no loader: neither inherited options nor a TypeScript file in sight. */
function startBuilt(script: string, settings: Record<string, string>): Child {
  const env = childEnv(settings);
  delete env.NODE_OPTIONS;
  return startChild(process.execPath, [script], { cwd: deployDir, env });
}

/** `followers` and `openid(code)` are service fields (README, "Access"): the tests send this key. */
const SERVICE_KEY = 'production-build-test-service-key';

async function graphql(url: string, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_KEY}` },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

describe('production build (dist/, plain node, production dependencies only)', () => {
  const children: Child[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL');
  });

  it('holds the compiled code and the schema, and has no TypeScript loader to lean on', () => {
    for (const file of [
      'dist/src/main.js',
      'dist/src/emulator/main.js',
      'dist/schema/user.graphql',
    ]) {
      expect(existsSync(join(deployDir, file)), file).toBe(true);
    }
    expect(existsSync(join(deployDir, 'node_modules/graphql-yoga'))).toBe(true);
    expect(existsSync(join(deployDir, 'node_modules/pino-pretty'))).toBe(true);
    expect(existsSync(join(deployDir, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(deployDir, 'node_modules/typescript'))).toBe(false);
  });

  it('serves in sandbox mode: GraphiQL, user data, a login', async () => {
    const gateway = startBuilt('dist/src/main.js', { PORT: '0', SERVICE_API_KEYS: SERVICE_KEY });
    children.push(gateway);
    const { url } = await waitListening(gateway);

    expect(await graphql(url, '{ followers(first: 1) { totalCount } }')).toEqual({
      data: { followers: { totalCount: 300 } },
    });
    const minted = (await (await fetch(new URL('/sandbox/js-code', url))).json()) as {
      code: string;
      openid: string;
    };
    expect(
      await graphql(url, `{ openid(code: "${minted.code}", app: "miniprogram") { openid } }`),
    ).toEqual({ data: { openid: { openid: minted.openid } } });
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');

    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(gateway.stderr).toEqual([]);
  }, 30_000);

  it('serves in live mode against the standalone emulator, both started from the build', async () => {
    const emulator = startBuilt('dist/src/emulator/main.js', { EMULATOR_PORT: '0' });
    children.push(emulator);
    const line = await emulator.waitForLine((l) => l.includes('listening on'), 'emulator start');
    const emulatorUrl = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';

    const apps = DEFAULT_EMULATOR_APPS.map((app) => ({
      name: app.kind,
      kind: app.kind,
      appId: app.appId,
      appSecret: app.appSecret,
    }));
    const gateway = startBuilt('dist/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      WECHAT_APPS: JSON.stringify(apps),
      WECHAT_API_BASE_URL: emulatorUrl,
      TOKEN_STORE: 'memory',
      SERVICE_API_KEYS: SERVICE_KEY,
    });
    children.push(gateway);
    const { url } = await waitListening(gateway);

    expect(await graphql(url, '{ followers(first: 1) { totalCount } }')).toEqual({
      data: { followers: { totalCount: 300 } },
    });
    // A login code from the emulator's HTTP control, exchanged through the gateway.
    const minted = (await (await fetch(`${emulatorUrl}/emulator/oauth-code`)).json()) as {
      code: string;
      openid: string;
    };
    expect(await graphql(url, `{ openid(code: "${minted.code}") { openid scope } }`)).toEqual({
      data: { openid: { openid: minted.openid, scope: 'snsapi_userinfo' } },
    });
    // Live mode never loads the emulator: the sandbox routes do not exist.
    expect((await fetch(new URL('/sandbox/js-code', url))).status).toBe(404);

    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await emulator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect([...gateway.stderr, ...emulator.stderr]).toEqual([]);
  }, 30_000);
});
