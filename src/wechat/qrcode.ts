/** Parametric QR codes of official accounts (带参数二维码, wechat-api-more.md §5). */
import { UpstreamUnavailableError } from './errors.js';
import type { WechatHttp } from './http.js';
import type { AccessTokenSource } from './types.js';

export const QRCODE_CREATE_API = '/cgi-bin/qrcode/create';

export interface QrCodeRequest {
  scene: { id: number } | { str: string };
  /** Seconds for a temporary code; undefined for a permanent one. */
  expiresIn?: number;
}

export interface QrCodeTicket {
  ticket: string;
  /** Where the image is: `showqrcode` with the ticket URL-encoded (it holds `+ / =`). */
  imageUrl: string;
  /** The QR code's content (render it yourself, or use the image URL). */
  url: string;
  /** Seconds WeChat granted (temporary codes only). */
  expiresIn: number | null;
}

interface RawQrCode {
  ticket?: unknown;
  url?: unknown;
  expire_seconds?: unknown;
}

export interface QrCodeApi {
  create(request: QrCodeRequest): Promise<QrCodeTicket>;
}

function actionName(request: QrCodeRequest): string {
  const permanent = request.expiresIn === undefined;
  if ('id' in request.scene) return permanent ? 'QR_LIMIT_SCENE' : 'QR_SCENE';
  return permanent ? 'QR_LIMIT_STR_SCENE' : 'QR_STR_SCENE';
}

/** WeChat's image endpoint (no token needed); the sandbox points it at the emulator. */
export const SHOW_QRCODE_URL = 'https://mp.weixin.qq.com/cgi-bin/showqrcode';

export function createQrCodeApi(
  http: WechatHttp,
  tokens: AccessTokenSource,
  imageEndpoint: string = SHOW_QRCODE_URL,
): QrCodeApi {
  return {
    async create(request) {
      const scene =
        'id' in request.scene ? { scene_id: request.scene.id } : { scene_str: request.scene.str };
      const body = {
        // Always sent for temporary codes: the default differs between doc versions (30 s, 60 s).
        ...(request.expiresIn === undefined ? {} : { expire_seconds: request.expiresIn }),
        action_name: actionName(request),
        action_info: { scene },
      };
      const raw = await tokens.withAccessToken((accessToken) =>
        http.postJson<RawQrCode>(QRCODE_CREATE_API, { access_token: accessToken }, body),
      );
      if (typeof raw.ticket !== 'string' || typeof raw.url !== 'string') {
        throw new UpstreamUnavailableError(
          QRCODE_CREATE_API,
          'bad-response',
          'answer without ticket',
        );
      }
      const seconds = Number(raw.expire_seconds);
      return {
        ticket: raw.ticket,
        imageUrl: `${imageEndpoint}?ticket=${encodeURIComponent(raw.ticket)}`,
        url: raw.url,
        expiresIn: request.expiresIn === undefined || !(seconds > 0) ? null : seconds,
      };
    },
  };
}
