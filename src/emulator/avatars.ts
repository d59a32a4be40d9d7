/**
 * Users' avatars, served by the emulator itself (so a page shows them offline) in the shape of
 * WeChat's CDN (thirdwx.qlogo.cn): `/mmopen/vi_32/<id>/<size>`, the last segment the side in
 * pixels (0 = 640, or 46, 64, 96, 132), so code that swaps `/132` for `/0` works here too. Each
 * image is generated from its id: serving one needs no user data. A seeded user's `headimgurl` is
 * the path; `/sns/userinfo` answers it as a URL on the host the caller reached the emulator by.
 */
import { renderAvatarPng } from './png.js';

export const AVATAR_PREFIX = '/mmopen/vi_32/';

const AVATAR = /^\/mmopen\/vi_32\/([A-Za-z0-9]{1,64})\/(0|46|64|96|132)$/;
const LARGEST = 640;

/** The path of the avatar `id` at WeChat's default size (132 pixels). */
export const avatarPath = (id: string): string => `${AVATAR_PREFIX}${id}/132`;

/** A stored headimgurl as the caller sees it: a path made absolute on `origin`, '' kept. */
export function avatarUrl(headimgurl: string, origin: string | undefined): string {
  if (!headimgurl.startsWith('/') || origin === undefined) return headimgurl;
  return `${origin}${headimgurl}`;
}

export interface AvatarAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

const refusal = (status: number, body: string): AvatarAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body,
});

/** What a request for `path`, a path under AVATAR_PREFIX, is answered (a HEAD: without body). */
export function answerAvatar(method: string, path: string): AvatarAnswer {
  if (method !== 'GET' && method !== 'HEAD') return refusal(405, 'use GET');
  const match = AVATAR.exec(path);
  if (!match) return refusal(404, 'no such avatar');
  const [, id = '', size = '0'] = match;
  const side = size === '0' ? LARGEST : Number(size);
  return {
    status: 200,
    // The image never changes: the id names it (WeChat gives a changed avatar a new URL).
    headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' },
    body: renderAvatarPng(id, side),
  };
}
