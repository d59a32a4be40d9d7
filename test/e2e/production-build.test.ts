/**
 * The production build as an operator deploys it: `npm run build`'s output next to package.json
 * and the production dependencies only (as `npm ci --omit=dev` leaves them: no tsx, no
 * TypeScript), started with plain `node`. It serves in sandbox mode, and in live mode against the
 * standalone emulator, itself started from the build.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_APPS } from '../../src/emulator/index.js';
import { H5_ROUTES } from '../../src/sandbox/h5.js';
import { SANDBOX_PATHS } from '../../src/sandbox/routes.js';
import {
  childEnv,
  parseLogLine,
  REPO_ROOT,
  stackLines,
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

  it('serves the sandbox’s H5 example from dist/: the page and its script, bundled by the build', async () => {
    for (const file of ['dist/examples/h5/index.html', 'dist/examples/h5/main.js']) {
      expect(existsSync(join(deployDir, file)), file).toBe(true);
    }
    // Nothing to bundle with at run time: esbuild is a development dependency.
    expect(existsSync(join(deployDir, 'node_modules/esbuild'))).toBe(false);
    const gateway = startBuilt('dist/src/main.js', { PORT: '0', HOST: '127.0.0.1' });
    children.push(gateway);
    const { url } = await waitListening(gateway);

    const page = await fetch(new URL(H5_ROUTES.page, url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="main.js"></script>');
    expect(html).toContain('"graphqlUrl":"/graphql"');
    for (const path of [H5_ROUTES.script, H5_ROUTES.jssdk]) {
      const script = await fetch(new URL(path, new URL(H5_ROUTES.page, url)));
      expect(script.status, path).toBe(200);
      expect(script.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
    }
    const main = await (await fetch(new URL(H5_ROUTES.script, url))).text();
    expect(main).toContain('h5.session');
    expect(main).not.toMatch(/^import /m);

    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(gateway.stderr).toEqual([]);
  }, 30_000);

  it('answers no stack trace and no server path on any sandbox route or unknown path, whatever is sent', async () => {
    const gateway = startBuilt('dist/src/main.js', { PORT: '0', HOST: '127.0.0.1' });
    children.push(gateway);
    const { url } = await waitListening(gateway);
    const paths = [
      ...Object.values(SANDBOX_PATHS),
      ...Object.values(H5_ROUTES),
      '/sandbox/h5',
      '/sandbox/',
      '/sandbox/nope',
      '/sandbox/h5/nope.js',
      '/sandbox/h5/%2e%2e/%2e%2e/package.json',
      '/nope',
      '/graphql/nope',
    ];
    const garbage: { type: string; body: string }[] = [
      { type: 'application/json', body: '{"app": ' },
      { type: 'application/json', body: '[1, {"openid": {}}]' },
      { type: 'application/json', body: '{"app": 5, "openid": {"$gt": ""}, "count": -1e309}' },
      { type: 'application/x-www-form-urlencoded', body: '%%%=&&=%E0%A4%A&app=%00' },
      { type: 'text/plain', body: '\u0000\uffff not a body' },
    ];
    const places = [deployDir, await realpath(deployDir), REPO_ROOT];
    const answers: { request: string; status: number; body: string }[] = [];
    for (const path of paths) {
      const target = new URL(`${path}?app=%00nope&openid=../../etc/passwd&count=NaN`, url);
      const get = await fetch(target);
      answers.push({ request: `GET ${path}`, status: get.status, body: await get.text() });
      for (const { type, body } of garbage) {
        const post = await fetch(new URL(path, url), {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        answers.push({
          request: `POST ${path} (${type})`,
          status: post.status,
          body: await post.text(),
        });
      }
    }
    for (const { request, body } of answers) {
      expect(body, request).not.toContain('    at ');
      for (const place of places) expect(body, request).not.toContain(place);
    }
    // Nothing failed unexpectedly either: no 500, and no ERROR line in the log.
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(gateway.stdout.filter((line) => (parseLogLine(line)?.level ?? 0) >= 50)).toEqual([]);
    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(gateway.stderr).toEqual([]);
  }, 60_000);

  it('refuses to start the sandbox with NODE_ENV=production, unless SANDBOX=1 asks for it', async () => {
    const refused = startBuilt('dist/src/main.js', { PORT: '0', NODE_ENV: 'production' });
    children.push(refused);
    const exit = await refused.exited;
    expect(exit, refused.output()).toEqual({ code: 1, signal: null });
    const said = refused.stderr.join('\n');
    expect(said).toContain('NODE_ENV=production but no WeChat credentials are set');
    expect(said).toContain('Set WECHAT_APP_ID and WECHAT_APP_SECRET (or WECHAT_APPS)');
    expect(said).toContain('set SANDBOX=1');
    expect(refused.stdout.join('')).not.toContain('listening');

    const onPurpose = startBuilt('dist/src/main.js', {
      PORT: '0',
      NODE_ENV: 'production',
      SANDBOX: '1',
      CORS_ORIGINS: 'none',
    });
    children.push(onPurpose);
    const { url } = await waitListening(onPurpose);
    expect((await fetch(new URL('/readyz', url))).status).toBe(200);
  }, 30_000);

  it('live mode with a wrong app secret: /readyz 503 naming the app, one ERROR line, still serving', async () => {
    const emulator = startBuilt('dist/src/emulator/main.js', { EMULATOR_PORT: '0' });
    children.push(emulator);
    const line = await emulator.waitForLine((l) => l.includes('listening on'), 'emulator start');
    const emulatorUrl = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';
    const [official] = DEFAULT_EMULATOR_APPS;
    const gateway = startBuilt('dist/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      CORS_ORIGINS: 'none',
      WECHAT_APP_ID: official?.appId ?? '',
      WECHAT_APP_SECRET: 'a-secret-wechat-does-not-know',
      WECHAT_API_BASE_URL: emulatorUrl,
      TOKEN_STORE: 'memory',
    });
    children.push(gateway);
    const { url } = await waitListening(gateway);
    const readyz = async () => {
      const response = await fetch(new URL('/readyz', url));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // The check runs right after the listener opens: 503 while it runs, 503 once it failed.
    await expect
      .poll(async () => (await readyz()).body['credentials'], { timeout: 10_000 })
      .toEqual([
        {
          app: 'default',
          state: 'rejected',
          errcode: 40125,
          reason: 'WeChat rejected the configured app secret. (errcode 40125)',
        },
      ]);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body['reason']).toBe(
      'WeChat rejected the credentials of app "default": WeChat rejected the configured app secret. (errcode 40125)',
    );
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    const errors = gateway.stdout.filter((l) => parseLogLine(l)?.level === 50);
    expect(errors, gateway.output()).toHaveLength(1);
    expect(errors[0]).toContain('WeChat rejected its credentials');
    expect(stackLines(gateway.output())).toEqual([]);
    expect(gateway.output()).not.toContain('a-secret-wechat-does-not-know');
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
