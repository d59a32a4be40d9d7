/**
 * GraphiQL's code as files of their own. @graphql-yoga/render-graphiql inlines all of it into
 * every page (9 MB: the script, a style sheet with 36 fonts as data: URLs, Monaco's three workers,
 * a 150 kB icon). Here each piece gets a URL named after its content, so a browser keeps it for
 * good; the fonts leave the style sheet, so a browser fetches only the faces the page uses; the
 * three workers share one file (whitespace-minified where precompressed/ ships that one); the
 * icon keeps its small images. Each file is compressed once (brotli, as shipped in
 * precompressed/ or else made at start, and gzip) and served from memory, the same buffers for
 * every request. Built on first use, once per process: the pieces are the same for every app.
 */
import { compressInWorker } from './compress.js';
import { contentHash, loadPrecompressed, minifiedWorkers } from './precompressed.js';

/** Where the files are served. */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

/** One file, in each encoding made for it. */
export interface GraphiqlAsset {
  readonly type: string;
  /** Of the content, before any encoding; also in the file's name. */
  readonly hash: string;
  readonly identity: Buffer;
  /** Filled in once compressed (the files are served uncompressed until then). */
  gzip?: Buffer;
  br?: Buffer;
}

/** Monaco asks for a worker by label (MonacoEnvironment.getWorkerUrl). */
export type WorkerLabel = 'editorWorkerService' | 'json' | 'graphql';

export interface GraphiqlAssets {
  /** The URLs the page references. */
  readonly urls: {
    readonly script: string;
    readonly style: string;
    readonly icon: string;
    readonly workers: Readonly<Record<WorkerLabel, string>>;
  };
  /** The file at `path` (e.g. /graphiql/graphiql.0123abcd.js), if it is one of them. */
  get(path: string): GraphiqlAsset | undefined;
  /** The files worth compressing (not fonts in compressed formats), by path. */
  readonly compressible: ReadonlyMap<string, GraphiqlAsset>;
  /**
   * Compresses every compressible file (once: later calls return the same promise); resolves
   * once each has its brotli and gzip forms. Not started by building (which reads the shipped
   * brotli forms): a page alone needs only the URLs.
   */
  compress(): Promise<void>;
}

/** data: URLs this long or longer leave the style sheet (tiny icons stay inline). */
const INLINE_LIMIT = 2048;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  ico: 'image/x-icon',
  png: 'image/png',
  svg: 'image/svg+xml',
};

/** Already compressed formats: brotli or gzip would gain nothing. */
const COMPRESSED_FORMATS = new Set(['woff2', 'woff', 'png']);

/**
 * Monaco's three workers in one file, run by the label after its `#` (workers.js#json). They
 * share most of their code: compressed together they weigh 240 kB instead of 430 kB, and the
 * browser downloads the file once for all three.
 */
function workersFile(workers: Readonly<Record<WorkerLabel, string>>): string {
  const runs = Object.entries(workers).map(
    ([label, source]) => `${JSON.stringify(label)}() {\n${source}\n}`,
  );
  return `(() => {\nconst workers = {\n${runs.join(',\n')}\n};\nworkers[self.location.hash.slice(1)]();\n})();\n`;
}

/**
 * An icon file (.ico) with only its images up to 32 px, the sizes a tab shows: the larger ones are
 * 108 of its 114 kB.
 */
function smallIcon(ico: Buffer): Buffer {
  const images = [];
  for (let index = 0; index < ico.readUInt16LE(4); index++) {
    const entry = ico.subarray(6 + index * 16, 22 + index * 16);
    const [width = 0] = entry;
    const start = entry.readUInt32LE(12);
    // A width of 0 means 256.
    if (width > 0 && width <= 32) {
      images.push({ entry, data: ico.subarray(start, start + entry.readUInt32LE(8)) });
    }
  }
  if (images.length === 0) return ico;
  const header = Buffer.from([0, 0, 1, 0, images.length & 0xff, images.length >> 8]);
  let offset = 6 + images.length * 16;
  const entries = images.map(({ entry, data }) => {
    const copy = Buffer.from(entry);
    copy.writeUInt32LE(offset, 12);
    offset += data.length;
    return copy;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ data }) => data)]);
}

/** The extension of a data: URL's media type (font/woff2 → woff2, image/x-icon → ico). */
function extensionOf(mediaType: string): string {
  const subtype = mediaType.split('/')[1] ?? '';
  if (subtype === 'x-icon' || subtype === 'vnd.microsoft.icon') return 'ico';
  if (subtype === 'svg+xml') return 'svg';
  return subtype;
}

/** The bytes of a data: URL (base64 or percent-encoded). */
function decodeDataUrl(url: string): { ext: string; bytes: Buffer } {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) throw new Error(`not a data: URL: ${url.slice(0, 40)}`);
  const [, mediaType = '', parameters = '', data = ''] = match;
  const bytes = parameters.includes(';base64')
    ? Buffer.from(data, 'base64')
    : Buffer.from(decodeURIComponent(data), 'utf8');
  return { ext: extensionOf(mediaType), bytes };
}

interface Table {
  add(name: string, ext: string, content: Buffer | string): string;
  files: Map<string, GraphiqlAsset>;
}

function createTable(): Table {
  const files = new Map<string, GraphiqlAsset>();
  return {
    files,
    add(name, ext, content) {
      const identity = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      const hash = contentHash(identity);
      const path = `${GRAPHIQL_ASSET_PATH}${name}.${hash}.${ext}`;
      const type = TYPES[ext];
      if (type === undefined) throw new Error(`no media type for .${ext}`);
      if (!files.has(path)) files.set(path, { type, hash, identity });
      return path;
    },
  };
}

/** The style sheet with its large data: URLs (the fonts) replaced by files of their own. */
function extractFiles(css: string, table: Table): string {
  return css.replace(/url\((["']?)(data:[^"')]+)\1\)/g, (whole, _quote, url: string) => {
    if (url.length < INLINE_LIMIT) return whole;
    const { ext, bytes } = decodeDataUrl(url);
    return `url(${table.add(ext === 'ico' ? 'icon' : 'font', ext, bytes)})`;
  });
}

/** GraphiQL's pieces as @graphql-yoga/render-graphiql ships them, the workers in one file. */
export interface GraphiqlBundle {
  js: string;
  css: string;
  favicon: string;
  /** Monaco's three workers as one file (workersFile). */
  workers: string;
}

export async function loadBundle(): Promise<GraphiqlBundle> {
  // Imported here, not at the top: 9 MB of strings that a gateway without GraphiQL never loads.
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const workers = workersFile({
    editorWorkerService: bundle.editorWorkerService,
    json: bundle.jsonWorker,
    graphql: bundle.graphqlWorker,
  });
  return { js: bundle.js, css: bundle.css, favicon: bundle.favicon, workers };
}

/**
 * The files of `bundle`, with `workers` as the workers' file (by default the bundle's own; the
 * shipped whitespace-minified one where there is one, see precompressed.ts) and the brotli forms
 * shipped in precompressed/ filled in.
 */
export async function assembleAssets(
  bundle: GraphiqlBundle,
  workers: string = bundle.workers,
): Promise<GraphiqlAssets> {
  const table = createTable();
  const workersPath = table.add('workers', 'js', workers);
  const urls = {
    script: table.add('graphiql', 'js', bundle.js),
    style: table.add('graphiql', 'css', extractFiles(bundle.css, table)),
    icon: table.add('icon', 'ico', smallIcon(decodeDataUrl(bundle.favicon).bytes)),
    workers: {
      editorWorkerService: `${workersPath}#editorWorkerService`,
      json: `${workersPath}#json`,
      graphql: `${workersPath}#graphql`,
    },
  };
  const compressible = new Map(
    [...table.files].filter(([path]) => !COMPRESSED_FORMATS.has(path.split('.').pop() ?? '')),
  );
  await loadPrecompressed(compressible);
  let compressed: Promise<void> | undefined;
  return {
    urls,
    get: (path) => table.files.get(path),
    compressible,
    compress() {
      compressed ??= compressAll([...compressible.values()]);
      return compressed;
    },
  };
}

async function build(): Promise<GraphiqlAssets> {
  const bundle = await loadBundle();
  return assembleAssets(bundle, await minifiedWorkers(bundle.workers));
}

/** gzip for every file, brotli for those still without it (their brotli form made here). */
function compressAll(assets: GraphiqlAsset[]): Promise<void> {
  return compressInWorker(
    assets.map((asset) => ({ bytes: asset.identity, br: asset.br === undefined })),
    (index, encoding, bytes) => {
      const asset = assets[index];
      if (asset) asset[encoding] = bytes;
    },
  );
}

let assets: Promise<GraphiqlAssets> | undefined;

/** The files, built on the first call (their compression starts with `compress()`). */
export function graphiqlAssets(): Promise<GraphiqlAssets> {
  assets ??= build();
  return assets;
}
