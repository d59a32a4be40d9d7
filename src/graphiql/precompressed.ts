/**
 * GraphiQL's files compressed ahead of time, shipped beside this module in precompressed/: for
 * each compressible file `<file>.br`, named as the file is served (graphiql.<hash>.js.br). Brotli
 * at its best took 21–25 s of CPU for GraphiQL's files: made at start, a visit in the meantime
 * got gzip or no compression (1.68 MB and more instead of 1.5), and every start spent that CPU.
 * Read from here, the files are at their smallest from the first request on; only gzip (for
 * clients without brotli) is made at start.
 *
 * Monaco's workers come unminified (2.7 MB, 241 kB with brotli): shipped here minified (whitespace
 * only, by esbuild: 213 kB with brotli), and served so where minified.json names the minified
 * file for the bundle's workers.
 *
 * A file is used only if the content it decompresses to is the content its name says (the hash
 * in the name is the content's); anything else (another version of
 * @graphql-yoga/render-graphiql) is compressed at start, unminified, as before. `npx tsx
 * src/graphiql/precompress.ts` writes the files for the installed version and removes the others;
 * test/graphiql/precompressed.test.ts fails when they do not match.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';

/** Where the files are kept. */
export const PRECOMPRESSED_DIR = fileURLToPath(new URL('./precompressed/', import.meta.url));

/** Which minified workers' file (by name) stands for which bundle's (by content hash). */
export const MINIFIED_MANIFEST = 'minified.json';

/** A file as assets.ts keeps it: its content, and its brotli form once there is one. */
export interface Compressible {
  readonly identity: Buffer;
  br?: Buffer;
}

/** The hash in a file's name (16 characters of its SHA-256, base64url). */
export function contentHash(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 16);
}

/** The file that holds the brotli form of the file served at `path`. */
export function precompressedName(path: string): string {
  return `${basename(path)}.br`;
}

/** Brotli's best: quality 11, a 16 MB window (the script is 5.3 MB). */
export function compressBest(bytes: Buffer): Promise<Buffer> {
  return promisify(brotliCompress)(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/** A shipped file's brotli form and content (decompressed off the main thread); else undefined. */
async function readShipped(dir: string, name: string) {
  try {
    const br = await readFile(join(dir, `${name}.br`));
    return { br, content: await promisify(brotliDecompress)(br) };
  } catch {
    return undefined;
  }
}

/**
 * Fills in `br` of each of `files` of which `dir` holds the brotli form; returns the paths of
 * those it holds none (or no valid one) of.
 */
export async function loadPrecompressed(
  files: ReadonlyMap<string, Compressible>,
  dir = PRECOMPRESSED_DIR,
): Promise<string[]> {
  const missing: string[] = [];
  await Promise.all(
    [...files].map(async ([path, file]) => {
      const shipped = await readShipped(dir, basename(path));
      if (shipped?.content.equals(file.identity)) file.br = shipped.br;
      else missing.push(path);
    }),
  );
  return missing.sort();
}

async function readManifest(dir: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(join(dir, MINIFIED_MANIFEST), 'utf8')) as Record<
      string,
      string
    >;
  } catch {
    return {};
  }
}

/** The shipped minified form of the workers' file `workers`, if there is one. */
export async function minifiedWorkers(
  workers: string,
  dir = PRECOMPRESSED_DIR,
): Promise<string | undefined> {
  const name = (await readManifest(dir))[contentHash(workers)];
  if (name === undefined) return undefined;
  const shipped = await readShipped(dir, name);
  // Its name says its content: a damaged file is not served.
  if (shipped === undefined || !name.includes(`.${contentHash(shipped.content)}.`)) {
    return undefined;
  }
  return shipped.content.toString('utf8');
}

/**
 * Writes the brotli form of each of `files` to `dir` (compressed in parallel, off the main
 * thread), the manifest naming the minified workers' file for the original one (`minified`:
 * the original's content hash → the served name), and removes every other file there. Returns
 * the names written.
 */
export async function writePrecompressed(
  files: ReadonlyMap<string, Compressible>,
  minified: Record<string, string>,
  dir = PRECOMPRESSED_DIR,
): Promise<string[]> {
  const names = await Promise.all(
    [...files].map(async ([path, file]) => {
      const name = precompressedName(path);
      const temporary = join(dir, `${name}.tmp`);
      await writeFile(temporary, await compressBest(file.identity));
      await rename(temporary, join(dir, name));
      return name;
    }),
  );
  await writeFile(join(dir, MINIFIED_MANIFEST), `${JSON.stringify(minified, null, 2)}\n`);
  names.push(MINIFIED_MANIFEST);
  const stale = (await readdir(dir)).filter((name) => !names.includes(name));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return names.sort();
}
