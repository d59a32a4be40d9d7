/**
 * Sandbox only: examples/h5/main.ts bundled for the browser on request, from source, so an edit
 * shows on the next reload and no bundle is committed (esbuild takes some tens of milliseconds).
 * esbuild is a development dependency: it is imported on first use, and a gateway installed
 * without it says so on the page's script instead of failing to start. The production build
 * (scripts/build.mjs) runs the same function once and ships the result: it needs no esbuild.
 */
import type * as Esbuild from 'esbuild';

export type BundleResult = { ok: true; code: string } | { ok: false; message: string };

/**
 * `loadEsbuild`: where esbuild comes from; scripts/build.mjs passes its own import (the build's
 * output directory may have no node_modules above it), so the production build bundles main.ts
 * exactly as `npm start` does.
 */
export async function bundleH5(
  entry: string,
  loadEsbuild: () => Promise<typeof Esbuild> = () => import('esbuild'),
): Promise<BundleResult> {
  let esbuild: typeof Esbuild;
  try {
    esbuild = await loadEsbuild();
  } catch {
    return { ok: false, message: 'esbuild is not installed (npm install, with dev dependencies)' };
  }
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      // WeChat's in-app browsers on older phones: ES2018 (object spread, async iteration).
      target: 'es2018',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    return output
      ? { ok: true, code: output.text }
      : { ok: false, message: 'esbuild wrote nothing' };
  } catch (error) {
    const failure = error as {
      errors?: { text: string; location?: { file: string; line: number } | null }[];
    };
    const lines = failure.errors?.map(
      (entry) =>
        `${entry.location ? `${entry.location.file}:${entry.location.line}: ` : ''}${entry.text}`,
    );
    return { ok: false, message: lines?.join('\n') ?? String(error) };
  }
}
