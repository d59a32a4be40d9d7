/**
 * What the file store does with a file it did not write whole: a damaged one is moved aside (the
 * start goes on, with a warning that names the file and never its content), the layout earlier
 * versions wrote is read, and a lock is waited for within bounds. The store contract itself runs
 * in store-contract.test.ts; several processes on one file in file-store-processes.test.ts.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { lockPathOf } from '../../src/store/file-lock.js';
import { createFileTokenStore } from '../../src/store/file-store.js';
import { type TokenStore } from '../../src/store/store.js';
import { createTokenStore } from '../../src/store/open.js';
import { captureLogs } from '../support/log-capture.js';

const TOKEN = 'TOKEN-VALUE-123';
let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-file-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh directory per case, so each one sees only its own files. */
async function caseDir(): Promise<string> {
  const path = join(dir, `case-${(counter += 1)}`);
  await mkdir(path, { mode: 0o700 });
  return path;
}

const DAMAGED: [string, string | Buffer, RegExp][] = [
  ['an empty file', '', /was empty/],
  ['a file of blanks', '  \n', /was empty/],
  [
    'truncated JSON',
    `{"format":"wgg-token-store","version":1,"cells":{"wgg:k":{"v":"${TOKEN}","exp":nu`,
    /not valid JSON/,
  ],
  ['garbage bytes', Buffer.from([0x00, 0xff, 0x13, ...Buffer.from(TOKEN), 0xfe]), /not valid JSON/],
  ['JSON that is not a store file', JSON.stringify([TOKEN]), /not a token store file/],
  [
    'a store file from an unknown version',
    JSON.stringify({ format: 'wgg-token-store', version: 99, cells: { k: { v: TOKEN } } }),
    /unknown version \(99\)/,
  ],
];

describe.each(DAMAGED)('a token store file holding %s', (_name, content, problem) => {
  it('is moved aside with a warning that does not quote it, and the start goes on', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    await writeFile(path, content, { mode: 0o600 });
    const { logger, lines } = captureLogs();
    const store = await createTokenStore(`file:${path}`, {
      clock: createManualClock(Date.UTC(2026, 0, 15, 2, 0, 0)),
      onWarning: (message) => logger.warn(message),
    });
    try {
      expect(lines).toHaveLength(1);
      const [line = ''] = lines;
      expect(line).toContain(`token store file ${path} was `);
      expect(line).toMatch(problem);
      expect(line).toContain('moved it to tokens.damaged-2026-01-15T02-00-00-000Z');
      expect(line).not.toContain(TOKEN);
      expect(line.length).toBeLessThan(400);

      // Kept byte for byte for a human to look at; a fresh file took its place.
      const aside = join(here, 'tokens.damaged-2026-01-15T02-00-00-000Z');
      expect(await readFile(aside)).toEqual(Buffer.from(content));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'fresh', 60_000);
      expect((await store.get('k'))?.value).toBe('fresh');
    } finally {
      await store.close();
    }
  });
});

describe('file token store', () => {
  it('moves aside a file damaged while running, at the next write, and carries on', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens.json');
    const warnings: string[] = [];
    const clock = createManualClock();
    const store = await createFileTokenStore(path, {
      namespace: 'wgg',
      clock,
      onWarning: (message) => warnings.push(message),
    });
    try {
      await store.set('k', TOKEN, 60_000);
      await writeFile(
        path,
        `{"format":"wgg-token-store","version":1,"cells":{"wgg:k":{"v":"${TOKEN}"`,
      );
      // A read takes no lock: it sees an empty store and leaves the file to the next write.
      expect(await store.get('k')).toBeUndefined();
      expect(warnings).toEqual([]);
      clock.advance(1_000);
      expect(await store.setIfAbsent('k', 'next', 60_000)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/was not valid JSON .*moved it to tokens\.json\.damaged-/);
      expect(warnings[0]).not.toContain(TOKEN);
      expect((await store.get('k'))?.value).toBe('next');
      expect((await readdir(here)).sort()).toEqual([
        'tokens.json',
        'tokens.json.damaged-2026-01-15T02-00-01-000Z',
      ]);
    } finally {
      await store.close();
    }
  });

  it('never overwrites an earlier damaged copy', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    const clock = createManualClock();
    for (const content of ['first', 'second']) {
      await writeFile(path, content);
      const store = await createFileTokenStore(path, { namespace: 'wgg', clock, onWarning() {} });
      await store.close();
    }
    const aside = (await readdir(here)).filter((name) => name.includes('.damaged-')).sort();
    expect(aside).toEqual([
      'tokens.damaged-2026-01-15T02-00-00-000Z',
      'tokens.damaged-2026-01-15T02-00-00-000Z-1',
    ]);
    expect(await readFile(join(here, aside[1] ?? ''), 'utf8')).toBe('second');
  });

  it('reads the file earlier versions wrote (keyv-file), so an upgrade costs no token call', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    const clock = createManualClock();
    const exp = clock.now() + 60_000;
    const keyv = (cell: unknown) => ({ value: JSON.stringify({ value: cell, expires: exp }) });
    await writeFile(
      path,
      JSON.stringify({
        cache: [
          ['wgg:rec', keyv({ v: JSON.stringify({ value: TOKEN, gen: 7 }), exp })],
          ['wgg:gen', { value: JSON.stringify({ value: { v: '7', exp: null } }) }],
          ['wgg:broken', { value: 'not json' }],
        ],
        lastExpire: 0,
      }),
    );
    const warnings: string[] = [];
    const store = await createFileTokenStore(path, {
      namespace: 'wgg',
      clock,
      onWarning: (message) => warnings.push(message),
    });
    try {
      expect(warnings).toEqual([]);
      expect(await store.get('rec')).toEqual({
        value: JSON.stringify({ value: TOKEN, gen: 7 }),
        ttlMs: 60_000,
      });
      expect(await store.nextGeneration('gen', 'rec')).toBe(8);
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
        format: 'wgg-token-store',
        version: 1,
      });
    } finally {
      await store.close();
    }
  });

  it('drops expired entries from the file when it rewrites it', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    const clock = createManualClock();
    const store = await createFileTokenStore(path, { namespace: 'wgg', clock });
    try {
      await store.set('short', TOKEN, 1_000);
      await store.set('long', 'stays', 60_000);
      clock.advance(1_000);
      await store.set('other', 'x', 60_000);
      const text = await readFile(path, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).toContain('stays');
    } finally {
      await store.close();
    }
  });

  it('writes the file readable by its owner only, even after someone widened it', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    const store = await createFileTokenStore(path, { namespace: 'wgg' });
    try {
      await chmod(path, 0o644);
      await store.set('k', TOKEN, 60_000);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('fails an operation, with a message naming the file, when the lock stays held too long', async () => {
    const here = await caseDir();
    const path = join(here, 'tokens');
    const store: TokenStore = await createFileTokenStore(path, {
      namespace: 'wgg',
      lock: { staleMs: 10_000, waitMs: 200 },
    });
    try {
      // A live holder (its lock is fresh): the store waits, then gives up.
      await mkdir(lockPathOf(path));
      const started = performance.now();
      await expect(store.set('k', 'v', 60_000)).rejects.toThrow(
        `token store file ${path} stayed locked by another process for 200 ms`,
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      // Reads need no lock.
      expect(await store.get('k')).toBeUndefined();
      await rm(lockPathOf(path), { recursive: true });
      await store.set('k', 'v', 60_000);
      expect((await store.get('k'))?.value).toBe('v');
    } finally {
      await store.close();
    }
  });
});
