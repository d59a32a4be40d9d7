/**
 * The README's 5-minute tour pastes: every `sh` block of that section runs, in order, in one
 * shell, as it is written (only the port is this test's), from the directory where the sandbox
 * gateway runs, as `npm start` would run it there. Each block's output must be what the tour
 * promises: a logged-in `me`, followers through the service key, the token status through the
 * admin key, and the follow event the emulator pushed.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import {
  childEnv,
  REPO_ROOT,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

const run = promisify(execFile);
/** tsx from this repository: the gateway runs in another directory, as `npm start` would there. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The `sh` blocks of the README's tour section, in order. */
function tourBlocks(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## A 5-minute tour');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('README: no "A 5-minute tour" section');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map(
    (match) => match[1] ?? '',
  );
}

const MARK = '--- block ';

describe("the README's tour", () => {
  let gateway: Child | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written, each command on what the one before printed', async () => {
    const blocks = tourBlocks();
    expect(blocks).toHaveLength(4);
    dir = mkdtempSync(join(tmpdir(), 'wgg-tour-'));
    const port = await freePort();
    gateway = startChild(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/main.ts')], {
      cwd: dir,
      // As `npm start` in a fresh clone: the throw-away keys go to .data/sandbox-keys.json.
      env: childEnv({ PORT: String(port), SANDBOX_KEYS_FILE: '', SHUTDOWN_DELAY_MS: '0' }),
    });
    // A loaded machine may take its time to start tsx and the emulator.
    await waitListening(gateway, 60_000);

    // One shell, so variables carry from block to block; stop at the first failing command.
    // `curl` ends each answer with a newline here (a terminal shows them apart anyway), so the
    // test reads one JSON answer per line; `$(curl …)` drops it again.
    const wrapper = 'curl() { command curl "$@"; echo; }';
    const script = ['set -eu', wrapper, ...blocks.flatMap((b, i) => [`echo '${MARK}${i}'`, b])]
      .join('\n')
      .replaceAll('127.0.0.1:4000', `127.0.0.1:${port}`);
    const { stdout } = await run('sh', ['-c', script], {
      cwd: dir,
      env: childEnv({ PATH: process.env['PATH'] ?? '' }),
    });
    const outputs = stdout
      .split(MARK)
      .slice(1)
      .map((part) => part.slice(part.indexOf('\n') + 1).trim());
    const lastJson = (text: string | undefined) =>
      JSON.parse(text?.split('\n').at(-1) ?? 'null') as { data?: Record<string, unknown> };

    const me = lastJson(outputs[0]);
    expect(me).toEqual({
      data: { me: { openid: expect.any(String), user: expect.objectContaining({}) } },
    });
    const followers = lastJson(outputs[1]);
    expect(followers.data?.['followers']).toMatchObject({ totalCount: 300 });
    expect((followers.data?.['followers'] as { nodes: unknown[] }).nodes).toHaveLength(2);
    const status = lastJson(outputs[2]);
    expect(status.data?.['tokenStatus']).toMatchObject({
      mode: 'STABLE',
      breaker: { open: false },
    });
    const events = lastJson(outputs[3]);
    expect(events.data?.['events']).toEqual({
      nodes: [
        {
          __typename: 'FollowEvent',
          id: expect.any(String),
          openid: expect.any(String),
          qrScene: 'spring-promo',
        },
      ],
    });
  }, 120_000);
});
