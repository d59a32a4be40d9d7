/**
 * `npx tsx src/graphiql/precompress.ts`: writes src/graphiql/precompressed/ for the installed
 * @graphql-yoga/render-graphiql (brotli at its best: some 20 s of CPU) and removes the files of
 * other versions. Run it after upgrading graphql-yoga; test/graphiql/precompressed.test.ts says
 * when. Needs esbuild (a dev dependency), which minifies Monaco's workers.
 */
import { assembleAssets, loadBundle } from './assets.js';
import { contentHash, PRECOMPRESSED_DIR, writePrecompressed } from './precompressed.js';

/** Monaco's workers as shipped: whitespace removed, names and license comments kept. */
export async function minifyWorkers(workers: string): Promise<string> {
  const { transform } = await import('esbuild');
  const { code } = await transform(workers, {
    loader: 'js',
    minifyWhitespace: true,
    legalComments: 'inline',
  });
  return code;
}

async function main(): Promise<void> {
  const bundle = await loadBundle();
  const minified = await minifyWorkers(bundle.workers);
  const assets = await assembleAssets(bundle, minified);
  const workersName = assets.urls.workers.json.split('#')[0]?.split('/').pop() ?? '';
  const manifest = { [contentHash(bundle.workers)]: workersName };
  for (const name of await writePrecompressed(assets.compressible, manifest)) {
    process.stdout.write(`${PRECOMPRESSED_DIR}${name}\n`);
  }
}

if (process.argv[1]?.endsWith('precompress.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
