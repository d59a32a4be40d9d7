/**
 * Sandbox only: the H5 example (examples/h5) served by the gateway, as a WeChat page of the
 * sandbox's official account: the page itself with its configuration filled in (this gateway, the
 * emulator's authorize page, the account), its script (bundled by the production build, else from
 * source on each request), the JS-SDK stand-in, and the stand-in's signature check against the
 * emulator.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { z } from 'zod';
import { AUTHORIZE_PATH, type Emulator } from '../emulator/index.js';
import type { AppRegistry } from '../apps/gateway-apps.js';
import { exampleApps } from '../graphiql/examples.js';
import { bundleH5 } from './h5-bundle.js';
import { wxStandinScript } from './wx-standin.js';

export const H5_ROUTES = {
  page: '/sandbox/h5/',
  script: '/sandbox/h5/main.js',
  jssdk: '/sandbox/h5/jweixin.js',
  verify: '/sandbox/jssdk/verify',
} as const;

const DEFAULT_EXAMPLE_DIR = new URL('../../examples/h5/', import.meta.url);
const CONFIG_SCRIPT = /(<script id="h5-config" type="application\/json">)[\s\S]*?(<\/script>)/;

/**
 * The page talks to this gateway only; WeChat's pages are reached by navigation, not fetch. Images
 * come from here or from the emulator, which serves the users' avatars as WeChat's CDN would.
 */
const pageCsp = (emulatorUrl: string) =>
  `default-src 'self'; img-src 'self' data: ${new URL(emulatorUrl).origin}; ` +
  "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

const verifyBody = z.object({
  appId: z.string(),
  timestamp: z.union([z.number(), z.string()]),
  nonceStr: z.string(),
  signature: z.string(),
  url: z.string().url(),
});

interface Answer {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const text = (status: number, body: string): Answer => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
});
const json = (status: number, body: unknown): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

export type SandboxH5Emulator = Pick<Emulator, 'url' | 'checkJsapiConfig'>;

export interface SandboxH5Deps {
  emulator: SandboxH5Emulator;
  apps: AppRegistry;
  /**
   * Where index.html and main.ts (or a bundled main.js) are; default: examples/h5 next to src/
   * (in the repository; in a production build, dist/examples/h5, which scripts/build.mjs writes).
   */
  exampleDir?: URL;
}

async function page(deps: SandboxH5Deps, dir: URL): Promise<Answer> {
  const { official } = exampleApps(deps.apps);
  if (!official) return text(404, 'The H5 example needs an official account.');
  const html = await readFile(new URL('index.html', dir), 'utf8');
  if (!CONFIG_SCRIPT.test(html)) return text(500, 'examples/h5/index.html has no #h5-config');
  const config = {
    graphqlUrl: '/graphql',
    authorizeUrl: `${deps.emulator.url}${AUTHORIZE_PATH}`,
    appId: official.appId,
    app: official.name,
  };
  // `<` escaped: the JSON cannot end the script element early.
  const filled = JSON.stringify(config).replace(/</g, '\\u003c');
  return {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: html.replace(
      CONFIG_SCRIPT,
      (_all, open: string, close: string) => `${open}${filled}${close}`,
    ),
    headers: { 'content-security-policy': pageCsp(deps.emulator.url) },
  };
}

async function verify(deps: SandboxH5Deps, request: Request): Promise<Answer> {
  let parsed;
  try {
    parsed = verifyBody.safeParse(await request.json());
  } catch {
    return json(400, { error: 'the body is not valid JSON' });
  }
  if (!parsed.success) {
    return json(400, { error: 'expected { appId, timestamp, nonceStr, signature, url }' });
  }
  const { url, ...config } = parsed.data;
  const checked = deps.emulator.checkJsapiConfig(config, url);
  return json(200, checked.ok ? { ok: true, errMsg: 'config:ok' } : checked);
}

const javascript = (body: string): Answer => ({
  status: 200,
  type: 'text/javascript; charset=utf-8',
  body,
});

/**
 * The production build's main.js (scripts/build.mjs bundles it next to index.html), else main.ts
 * bundled now: `npm start` shows an edit on the next reload.
 */
async function script(dir: URL): Promise<Answer> {
  const prebuilt = await readFile(new URL('main.js', dir), 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (prebuilt !== undefined) return javascript(prebuilt);
  const bundled = await bundleH5(fileURLToPath(new URL('main.ts', dir)));
  if (bundled.ok) return javascript(bundled.code);
  return text(500, `examples/h5/main.ts does not build:\n${bundled.message}`);
}

async function answer(deps: SandboxH5Deps, request: Request, path: string): Promise<Answer> {
  const dir = deps.exampleDir ?? DEFAULT_EXAMPLE_DIR;
  if (path === H5_ROUTES.verify) {
    return request.method === 'POST' ? verify(deps, request) : text(405, 'use POST');
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'use GET');
  if (path === H5_ROUTES.page) return page(deps, dir);
  if (path === H5_ROUTES.jssdk) return javascript(wxStandinScript(H5_ROUTES.verify));
  if (path === H5_ROUTES.script) return script(dir);
  return text(404, `Not found. The H5 example is at ${H5_ROUTES.page}`);
}

export function useSandboxH5(deps: SandboxH5Deps): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const path = url.pathname;
      if (path === '/sandbox/h5') {
        const to = `${H5_ROUTES.page}${url.search}`;
        return endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: to } }));
      }
      if (!path.startsWith('/sandbox/h5/') && path !== H5_ROUTES.verify) return;
      const reply = await answer(deps, request, path);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : reply.body, {
          status: reply.status,
          headers: { 'content-type': reply.type, 'cache-control': 'no-store', ...reply.headers },
        }),
      );
    },
  };
}
