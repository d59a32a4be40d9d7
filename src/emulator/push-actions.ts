/**
 * What users do in WeChat that makes it push to the app: follow (through a parametric QR code),
 * unfollow, tap a menu item, send a text. Each builds the push as WeChat would and sends it with
 * the push sender to the app's callback target.
 */
import type { Clock } from '../shared/clock.js';
import { pushMessages, type PushHeader } from './push-messages.js';
import type { PushDelivery, PushSender, PushTarget } from './push.js';
import type { PushMessage } from './push-wire.js';

export interface PushedAction {
  readonly openid: string;
  readonly message: PushMessage;
  readonly delivery: PushDelivery;
}

export interface PushActions {
  follow(target: PushTarget, openid: string, qrScene?: string): Promise<PushedAction>;
  unfollow(target: PushTarget, openid: string): Promise<PushedAction>;
  menuClick(target: PushTarget, openid: string, key: string): Promise<PushedAction>;
  text(target: PushTarget, openid: string, content: string): Promise<PushedAction>;
}

/** The account's original id (gh_…) as pushes name it: made up from the appid. */
export function ghIdOf(appId: string): string {
  return `gh_${appId
    .replace(/[^0-9a-f]/gi, '')
    .slice(-12)
    .padStart(12, '0')}`;
}

export function createPushActions(deps: { sender: PushSender; clock: Clock }): PushActions {
  // Message ids are 64-bit and exceed 2^53, as WeChat's do.
  let nextMsgId = 24_000_000_000_000_000n;
  const msgId = () => String((nextMsgId += 1n));
  const header = (target: PushTarget, openid: string): PushHeader => ({
    to: ghIdOf(target.appId),
    openid,
    createTime: Math.floor(deps.clock.now() / 1000),
  });
  const send = async (target: PushTarget, openid: string, message: PushMessage) => ({
    openid,
    message,
    delivery: await deps.sender.push(target, message),
  });
  return {
    follow: (target, openid, qrScene) =>
      send(
        target,
        openid,
        pushMessages.follow(
          header(target, openid),
          qrScene === undefined ? undefined : { scene: qrScene, ticket: `gQEmu${qrScene}` },
        ),
      ),
    unfollow: (target, openid) =>
      send(target, openid, pushMessages.unfollow(header(target, openid))),
    menuClick: (target, openid, key) =>
      send(target, openid, pushMessages.menuClick(header(target, openid), key)),
    text: (target, openid, content) =>
      send(target, openid, pushMessages.text(header(target, openid), content, msgId())),
  };
}
