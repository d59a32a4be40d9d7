/**
 * Compresses GraphiQL's files (assets.ts) once, in a worker thread: gzip for every file, brotli
 * for those without a shipped brotli form (precompressed.ts). Best brotli takes seconds of CPU,
 * which would otherwise hold a stopping gateway open (pending zlib work keeps Node's event loop
 * alive) and compete with requests on the main thread. The thread is unref'd: a gateway that
 * stops meanwhile does not wait for it. gzip comes first for every file (fast), then brotli
 * (quality 11, 16 MB window: the script shrinks 5.3 MB → 1.1 MB).
 */
import { Worker } from 'node:worker_threads';

export type Encoding = 'br' | 'gzip';

/**
 * Runs in the worker (plain CommonJS, so it needs no TypeScript loader). Streams of 64 kB
 * chunks, not one call per file: a stopping process ends the thread between chunks instead of
 * waiting seconds for a whole file.
 */
const COMPRESSOR = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const CHUNK = 64 * 1024;
function compress(bytes, stream) {
  return new Promise((resolve, reject) => {
    const out = [];
    stream.on('data', (chunk) => out.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(out)));
    stream.on('error', reject);
    let offset = 0;
    const more = () => {
      while (offset < bytes.length) {
        const chunk = bytes.subarray(offset, offset + CHUNK);
        offset += CHUNK;
        if (!stream.write(chunk)) return stream.once('drain', more);
      }
      stream.end();
    };
    more();
  });
}
(async () => {
  const files = workerData;
  for (const [index, { bytes }] of files.entries()) {
    const gzip = await compress(bytes, zlib.createGzip({ level: 9 }));
    parentPort.postMessage({ index, encoding: 'gzip', bytes: gzip });
  }
  for (const [index, { bytes, br: wanted }] of files.entries()) {
    if (!wanted) continue;
    const params = {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    };
    const br = await compress(bytes, zlib.createBrotliCompress({ params }));
    parentPort.postMessage({ index, encoding: 'br', bytes: br });
  }
})();
`;

interface Compressed {
  index: number;
  encoding: Encoding;
  bytes: Uint8Array;
}

/** A file to compress: gzip always, brotli when `br`. */
export interface CompressionJob {
  bytes: Buffer;
  br: boolean;
}

/**
 * Compresses each of `files`, calling `done(index, encoding, bytes)` as each result arrives;
 * resolves once all are done.
 */
export function compressInWorker(
  files: readonly CompressionJob[],
  done: (index: number, encoding: Encoding, bytes: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(COMPRESSOR, { eval: true, workerData: files });
    worker.on('message', ({ index, encoding, bytes }: Compressed) => {
      done(index, encoding, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`GraphiQL file compression stopped (exit code ${code})`));
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
  });
}
