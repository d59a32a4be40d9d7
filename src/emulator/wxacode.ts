/**
 * `POST /wxa/getwxacodeunlimit` (§6.1): a real PNG (a QR code of the scene and page, not WeChat's
 * round "sun" code) served as `image/jpeg`, the label WeChat puts on its codes whatever their
 * bytes; failures are JSON with HTTP 200. Checks in this order: JSON body (47001), scene (40169,
 * 40129), env_version (40097), types of check_path / auto_color / is_hyaline (47001), page (41030).
 */
import { MINI_PROGRAM_PAGES } from './catalogue.js';
import { renderQrPng } from './png.js';
import { fail, image, isRecord, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const MAX_SCENE = 32;
const ENV_VERSIONS: ReadonlySet<string> = new Set(['release', 'trial', 'develop']);
const MIN_WIDTH = 280;
const MAX_WIDTH = 1280;
const DEFAULT_WIDTH = 430;

const isOptionalBoolean = (value: unknown): boolean =>
  value === undefined || typeof value === 'boolean';

function colour(value: unknown): { r: number; g: number; b: number } {
  const channel = (v: unknown) =>
    typeof v === 'number' && v >= 0 && v <= 255 ? Math.round(v) : Number(v) || 0;
  return isRecord(value)
    ? { r: channel(value.r), g: channel(value.g), b: channel(value.b) }
    : { r: 0, g: 0, b: 0 };
}

function unlimitedCode(body: Readonly<Record<string, unknown>>): Reply {
  const { scene, page, env_version: env, check_path: checkPath } = body;
  if (typeof scene !== 'string' || scene.length === 0 || scene.length > MAX_SCENE) {
    return fail(40169);
  }
  if (!SCENE_CHARS.test(scene)) return fail(40129);
  if (env !== undefined && (typeof env !== 'string' || !ENV_VERSIONS.has(env))) return fail(40097);
  if (![checkPath, body.auto_color, body.is_hyaline].every(isOptionalBoolean)) return fail(47001);
  if (page !== undefined && typeof page !== 'string') return fail(47001);
  const path = page ?? '';
  if (path.startsWith('/') || path.includes('?')) return fail(41030);
  // check_path (default true) wants a published page; false allows any page.
  if (path !== '' && checkPath !== false && !MINI_PROGRAM_PAGES.includes(path)) return fail(41030);
  const width = typeof body.width === 'number' ? body.width : DEFAULT_WIDTH;
  const png = renderQrPng(`scene=${scene}&page=${path}`, {
    width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)),
    color: body.auto_color === true ? { r: 0, g: 0, b: 0 } : colour(body.line_color),
    transparent: body.is_hyaline === true,
  });
  return image(png, 'image/jpeg');
}

export function createUnlimitedCodeRoute(guard: TokenGuard): Route {
  return guard.routeFor('miniprogram', 'POST', (req) => {
    const parsed = parseJsonObject(req.body);
    return parsed.kind === 'malformed' ? fail(47001) : unlimitedCode(parsed.value);
  });
}
