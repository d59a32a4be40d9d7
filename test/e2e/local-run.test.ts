/**
 * Local runs as a new user makes them: the README's admin curl works out of the box in sandbox
 * mode (the throw-away keys are in a 0600 file the log names, never in the log), and a `.env`
 * file supplies what the environment does not set.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import {
  childEnv,
  parseLogLine,
  REPO_ROOT,
  startGatewayMain,
  waitListening,
  type Child,
} from '../support/processes.js';

const run = promisify(execFile);

/** The README's admin example: the sh block right after "Admin fields need". */
function readmeAdminCurl(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('Admin fields need');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || !block?.[1]) throw new Error('README: admin curl example not found');
  return block[1];
}

let gateway: Child | undefined;
let dir: string | undefined;
afterEach(async () => {
  await gateway?.stop('SIGKILL');
  gateway = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The gateway started in `cwd` (a fresh directory), as `npm start` would run it there. */
function startIn(cwd: string, settings: Record<string, string>): Child {
  gateway = startGatewayMain({ LOG_FORMAT: 'json', SHUTDOWN_DELAY_MS: '0', ...settings }, { cwd });
  return gateway;
}

describe('sandbox keys for curl', () => {
  it("the README's admin curl runs as it is; the keys file is 0600, never logged, removed on stop", async () => {
    dir = mkdtempSync(join(tmpdir(), 'wgg-local-run-'));
    const port = await freePort();
    // SANDBOX_KEYS_FILE unset: the default, .data/sandbox-keys.json in the working directory.
    const child = startIn(dir, { PORT: String(port), SANDBOX_KEYS_FILE: '' });
    await waitListening(child);
    const file = join(dir, '.data/sandbox-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.data')).mode & 0o777).toBe(0o700);
    const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(keys['adminApiKey']).toMatch(/^[\w-]{32}$/);
    expect(keys['serviceApiKey']).toMatch(/^[\w-]{32}$/);

    const script = readmeAdminCurl().replaceAll('127.0.0.1:4000', `127.0.0.1:${port}`);
    const { stdout } = await run('sh', ['-c', script], {
      cwd: dir,
      env: childEnv({ PATH: `${process.env['PATH'] ?? ''}` }),
    });
    const body = JSON.parse(stdout) as { data?: { tokenStatus?: unknown }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.tokenStatus).toMatchObject({ mode: 'STABLE', breaker: { open: false } });

    const logs = child.output();
    expect(logs).toContain('.data/sandbox-keys.json');
    expect(logs).not.toContain(keys['adminApiKey']);
    expect(logs).not.toContain(keys['serviceApiKey']);

    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(file)).toBe(false);
  }, 30_000);
});

describe('sandbox keys file that cannot be written', () => {
  it('warns and starts anyway', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wgg-local-run-'));
    writeFileSync(join(dir, 'not-a-directory'), '');
    const file = join(dir, 'not-a-directory/keys.json');
    const child = startIn(dir, { PORT: '0', SANDBOX_KEYS_FILE: file });
    await waitListening(child);
    expect(child.output()).toContain(`could not write ${file} (`);
  }, 30_000);
});

describe('.env', () => {
  it('fills in what the environment does not set; the environment wins', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wgg-local-run-'));
    const port = await freePort();
    const adminKey = 'admin-key-from-dot-env-0123456789';
    writeFileSync(
      join(dir, '.env'),
      `# local settings\nPORT=${port}\nADMIN_API_KEY="${adminKey}"\nLOG_LEVEL=silent\n`,
    );
    // ENV_FILE unset: .env in the working directory. LOG_LEVEL from the environment wins.
    const child = startIn(dir, { ENV_FILE: '', LOG_LEVEL: 'info' });
    const { url } = await waitListening(child);
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
    const read = child.stdout
      .map((line) => parseLogLine(line) as Record<string, unknown> | undefined)
      .find((entry) => typeof entry?.['msg'] === 'string' && entry['msg'].startsWith('read .env'));
    expect(read).toMatchObject({
      variables: expect.arrayContaining(['PORT', 'ADMIN_API_KEY']),
      keptFromEnvironment: ['LOG_LEVEL'],
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query: '{ tokenStatus { mode } }' }),
    });
    expect(await res.json()).toMatchObject({ data: { tokenStatus: { mode: 'STABLE' } } });
    expect(child.output()).not.toContain(adminKey);
  }, 30_000);

  it('a missing ENV_FILE stops the start with one plain line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wgg-local-run-'));
    const child = startIn(dir, { ENV_FILE: 'settings/local.env' });
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr).toEqual([
      'Cannot read the env file "settings/local.env" (ENV_FILE): no such file. Fix it, or set ENV_FILE=none to read no file.',
    ]);
  }, 30_000);
});
