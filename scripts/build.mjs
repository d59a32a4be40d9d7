/**
 * `npm run build`: compiles src/ to dist/src/ with tsconfig.build.json and copies schema/ to
 * dist/schema/, where dist/src/app.js reads it (`new URL('../schema/…', import.meta.url)`).
 * `node dist/src/main.js` then runs with plain node: no TypeScript loader.
 *
 * The sandbox's H5 example goes to dist/examples/h5/: its index.html, and main.js bundled from
 * examples/h5/main.ts by the compiled src/sandbox/h5-bundle.js (the function `npm start` bundles
 * it with on each request), so the page works with production dependencies only (no esbuild).
 *
 * `--out-dir <dir>` builds somewhere else (the build test does). Only `<dir>/src`,
 * `<dir>/schema` and `<dir>/examples` are replaced.
 */
import { spawnSync } from 'node:child_process';
import { error } from 'node:console';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { execPath, exit } from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(root, values['out-dir']);
const up = relative(outDir, root);
if (up === '' || !(up.startsWith('..') || isAbsolute(up))) {
  error(`build: --out-dir ${outDir} is the project or one of its parents; refusing`);
  exit(1);
}

for (const part of ['src', 'schema', 'examples'])
  rmSync(join(outDir, part), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(
  execPath,
  [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir],
  { stdio: 'inherit' },
);
if (compiled.status !== 0) exit(compiled.status ?? 1);
cpSync(join(root, 'schema'), join(outDir, 'schema'), { recursive: true });
// GraphiQL's files, brotli-compressed ahead (src/graphiql/precompressed.ts reads them next to it).
cpSync(join(root, 'src/graphiql/precompressed'), join(outDir, 'src/graphiql/precompressed'), {
  recursive: true,
});

const h5 = join(outDir, 'examples', 'h5');
const { bundleH5 } = await import(pathToFileURL(join(outDir, 'src/sandbox/h5-bundle.js')).href);
const bundled = await bundleH5(join(root, 'examples/h5/main.ts'), () => import('esbuild'));
if (!bundled.ok) {
  error(`build: examples/h5/main.ts does not build:\n${bundled.message}`);
  exit(1);
}
mkdirSync(h5, { recursive: true });
cpSync(join(root, 'examples/h5/index.html'), join(h5, 'index.html'));
writeFileSync(join(h5, 'main.js'), bundled.code);
