/**
 * `npm run build`: compiles src/ to dist/src/ with tsconfig.build.json and copies schema/ to
 * dist/schema/, where dist/src/app.js reads it (`new URL('../schema/…', import.meta.url)`).
 * `node dist/src/main.js` then runs with plain node: no TypeScript loader.
 *
 * `--out-dir <dir>` builds somewhere else (the build test does). Only `<dir>/src` and
 * `<dir>/schema` are replaced.
 */
import { spawnSync } from 'node:child_process';
import { error } from 'node:console';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { execPath, exit } from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(root, values['out-dir']);
const up = relative(outDir, root);
if (up === '' || !(up.startsWith('..') || isAbsolute(up))) {
  error(`build: --out-dir ${outDir} is the project or one of its parents; refusing`);
  exit(1);
}

for (const part of ['src', 'schema']) rmSync(join(outDir, part), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(
  execPath,
  [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir],
  { stdio: 'inherit' },
);
if (compiled.status !== 0) exit(compiled.status ?? 1);
cpSync(join(root, 'schema'), join(outDir, 'schema'), { recursive: true });
