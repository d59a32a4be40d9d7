/**
 * Parametric QR codes of official accounts (§5): `POST /cgi-bin/qrcode/create` and the image at
 * `GET /cgi-bin/showqrcode?ticket=` (on mp.weixin.qq.com in real life; no token). Every ticket
 * remembers its scene, which `qrCodeScene(ticket)` tells (what a scan would report).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { param } from './credentials.js';
import { renderQrPng } from './png.js';
import { fail, image, isRecord, ok, parseJsonObject, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

const MAX_EXPIRE_SECONDS = 2_592_000;
/** The current doc's default when expire_seconds is omitted. */
const DEFAULT_EXPIRE_SECONDS = 60;
const MAX_TEMPORARY_SCENE_ID = 4_294_967_295;
const MAX_PERMANENT_SCENE_ID = 100_000;
const MAX_SCENE_STR = 64;

export interface QrScene {
  readonly appId: string;
  readonly sceneId?: number;
  readonly sceneStr?: string;
  readonly permanent: boolean;
  /** Epoch ms; undefined for permanent codes. */
  readonly expiresAt?: number;
  /** The QR code's content (`http://weixin.qq.com/q/…`). */
  readonly url: string;
}

export interface QrCodes {
  readonly createRoute: Route;
  readonly imageRoute: Route;
  /** The scene behind a ticket, or undefined when unknown or expired. */
  scene(ticket: string): QrScene | undefined;
}

type SceneRead = { sceneId: number } | { sceneStr: string } | undefined;

function readScene(actionName: unknown, info: unknown): SceneRead {
  const scene = isRecord(info) && isRecord(info.scene) ? info.scene : {};
  if (actionName === 'QR_SCENE' || actionName === 'QR_LIMIT_SCENE') {
    const max = actionName === 'QR_SCENE' ? MAX_TEMPORARY_SCENE_ID : MAX_PERMANENT_SCENE_ID;
    const id = scene.scene_id;
    return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= max
      ? { sceneId: id }
      : undefined;
  }
  if (actionName === 'QR_STR_SCENE' || actionName === 'QR_LIMIT_STR_SCENE') {
    const str = scene.scene_str;
    return typeof str === 'string' && str.length >= 1 && str.length <= MAX_SCENE_STR
      ? { sceneStr: str }
      : undefined;
  }
  return undefined;
}

export function createQrCodes(guard: TokenGuard, clock: Clock): QrCodes {
  const tickets = new Map<string, QrScene>();
  /** Permanent codes: one ticket per scene (whether WeChat reuses it is unconfirmed). */
  const permanent = new Map<string, string>();

  const live = (ticket: string): QrScene | undefined => {
    const found = tickets.get(ticket);
    if (!found) return undefined;
    return found.expiresAt !== undefined && clock.now() >= found.expiresAt ? undefined : found;
  };

  const createRoute = guard.route('POST', (req, app) => {
    const parsed = parseJsonObject(req.body);
    if (parsed.kind === 'malformed') return fail(47001);
    const { action_name: actionName, action_info: info, expire_seconds: expire } = parsed.value;
    const scene = readScene(actionName, info);
    if (!scene) return fail(40053);
    const appId = app.config.appId;
    const isPermanent = actionName === 'QR_LIMIT_SCENE' || actionName === 'QR_LIMIT_STR_SCENE';
    const sceneKey = `${appId}\u0000${'sceneId' in scene ? `id:${scene.sceneId}` : `str:${scene.sceneStr}`}`;
    if (isPermanent) {
      const existing = permanent.get(sceneKey);
      const known = existing === undefined ? undefined : tickets.get(existing);
      if (existing !== undefined && known) return ok({ ticket: existing, url: known.url });
    }
    const seconds = Math.min(
      MAX_EXPIRE_SECONDS,
      typeof expire === 'number' && expire > 0 ? Math.floor(expire) : DEFAULT_EXPIRE_SECONDS,
    );
    const ticket = `gQ${randomBytes(60).toString('base64')}`;
    const url = `http://weixin.qq.com/q/${randomBytes(16).toString('base64url')}`;
    const entry: QrScene = {
      appId,
      ...scene,
      permanent: isPermanent,
      ...(isPermanent ? {} : { expiresAt: clock.now() + seconds * 1000 }),
      url,
    };
    tickets.set(ticket, entry);
    if (isPermanent) {
      permanent.set(sceneKey, ticket);
      return ok({ ticket, url });
    }
    return ok({ ticket, expire_seconds: seconds, url });
  });

  const imageRoute: Route = {
    method: 'GET',
    appIdOf: (req) => live(param(req.query, 'ticket') ?? '')?.appId,
    handle(req) {
      const found = live(param(req.query, 'ticket') ?? '');
      if (!found) return image(Buffer.from('Not Found'), 'text/html', 404);
      const png = renderQrPng(found.url, {
        width: 430,
        color: { r: 0, g: 0, b: 0 },
        transparent: false,
      });
      // WeChat serves JPEG here; the emulator's PNG is labelled as what it is.
      return image(png, 'image/png');
    },
  };

  return { createRoute, imageRoute, scene: live };
}
