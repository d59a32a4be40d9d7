/**
 * The brotli forms of GraphiQL's files shipped in src/graphiql/precompressed/: one for each
 * compressible file of the installed @graphql-yoga/render-graphiql, none for other versions,
 * Monaco's workers minified as precompress.ts minifies them. When this fails after an upgrade,
 * `npx tsx src/graphiql/precompress.ts` writes them again.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assembleAssets, graphiqlAssets, loadBundle } from '../../src/graphiql/assets.js';
import { minifyWorkers } from '../../src/graphiql/precompress.js';
import {
  contentHash,
  loadPrecompressed,
  MINIFIED_MANIFEST,
  minifiedWorkers,
  PRECOMPRESSED_DIR,
  precompressedName,
} from '../../src/graphiql/precompressed.js';

const REGENERATE = 'run `npx tsx src/graphiql/precompress.ts`';

describe('GraphiQL files compressed ahead of time', () => {
  it('ships the brotli form of every compressible file of the installed GraphiQL, and nothing else', async () => {
    const assets = await graphiqlAssets();
    const paths = [...assets.compressible.keys()];
    expect(paths.length).toBeGreaterThan(3);
    // graphiqlAssets() read them: each decompressed to exactly the file's content.
    const unshipped = paths.filter((path) => assets.compressible.get(path)?.br === undefined);
    expect(unshipped, REGENERATE).toEqual([]);
    const expected = [...paths.map(precompressedName), MINIFIED_MANIFEST].sort();
    expect((await readdir(PRECOMPRESSED_DIR)).sort(), REGENERATE).toEqual(expected);
  }, 60_000);

  it("serves Monaco's workers minified, exactly as esbuild minifies the installed ones", async () => {
    const bundle = await loadBundle();
    const shipped = await minifiedWorkers(bundle.workers);
    expect(shipped, REGENERATE).toBeDefined();
    expect(shipped === (await minifyWorkers(bundle.workers)), REGENERATE).toBe(true);
    expect(shipped?.length).toBeLessThan(bundle.workers.length * 0.8);
    const { urls } = await graphiqlAssets();
    expect(urls.workers.json).toContain(`/workers.${contentHash(shipped ?? '')}.js#json`);
  }, 60_000);

  it('ignores a file that does not hold the content its name says, and workers of another version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graphiql-precompressed-'));
    try {
      const good = { identity: Buffer.from('console.log(1);\n') };
      const damaged = { identity: Buffer.from('console.log(2);\n') };
      const files = new Map([
        ['/graphiql/good.aaaa.js', good],
        ['/graphiql/damaged.bbbb.js', damaged],
        ['/graphiql/absent.cccc.js', { identity: Buffer.from('x') }],
      ]);
      await writeFile(join(dir, 'good.aaaa.js.br'), brotliCompressSync(good.identity));
      await writeFile(join(dir, 'damaged.bbbb.js.br'), brotliCompressSync('console.log(3);\n'));
      expect(await loadPrecompressed(files, dir)).toEqual([
        '/graphiql/absent.cccc.js',
        '/graphiql/damaged.bbbb.js',
      ]);
      expect(good).toHaveProperty('br');
      expect(damaged).not.toHaveProperty('br');

      // A manifest naming a file whose content is not what its name says.
      const workers = 'self.onmessage = () => {};\n';
      await writeFile(
        join(dir, MINIFIED_MANIFEST),
        JSON.stringify({ [contentHash(workers)]: 'workers.0000000000000000.js' }),
      );
      await writeFile(join(dir, 'workers.0000000000000000.js.br'), brotliCompressSync('x'));
      expect(await minifiedWorkers(workers, dir)).toBeUndefined();
      expect(await minifiedWorkers('another version', dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a file it has no shipped form of to be compressed at start', async () => {
    const bundle = await loadBundle();
    // Workers of another version: no shipped form.
    const assets = await assembleAssets(bundle, `${bundle.workers}\n// another version\n`);
    const workers = assets.get(assets.urls.workers.json.split('#')[0] ?? '');
    expect(workers?.br).toBeUndefined();
    expect(assets.get(assets.urls.script)?.br).toBeDefined();
  }, 60_000);
});
