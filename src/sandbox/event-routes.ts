/**
 * Sandbox only: what an emulated user does that WeChat pushes to the app, so a newcomer sees
 * events arrive on a `wechatEvents` subscription. The emulator pushes to this gateway's own
 * callback URL (the origin the route was called on), signed and encrypted as WeChat does, and
 * the route answers with what it pushed and how the callback answered. Routes: routes.ts.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../shared/clock.js';
import { SANDBOX_APP_NAMES } from '../config/config.js';
import type { Emulator } from '../emulator/index.js';
import { createPushActions, type PushedAction } from '../emulator/push-actions.js';
import { createPushSender, type PushTarget } from '../emulator/push.js';
import type { CallbackSettings } from '../config/events.js';
import type { GatewayApp } from '../apps/gateway-apps.js';
import { ControlInputError } from '../emulator/control-surface.js';
import type { SandboxCall } from './sandbox-route.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomAlnum = (length: number) =>
  [...randomBytes(length)].map((byte) => ALNUM.charAt(byte % ALNUM.length)).join('');

/** A callback Token and EncodingAESKey per sandbox app, made up for this run. */
export function sandboxCallbacks(): Record<string, CallbackSettings> {
  return Object.fromEntries(
    Object.values(SANDBOX_APP_NAMES).map((name) => [
      name,
      { token: randomAlnum(32), aesKeys: [randomAlnum(43)] },
    ]),
  );
}

export type SandboxPushEmulator = Pick<Emulator, 'followerOpenids' | 'unsubscribedOpenids'>;

export interface SandboxPushDeps {
  emulator: SandboxPushEmulator;
  callbacks: Readonly<Record<string, CallbackSettings>>;
  clock?: Clock;
  /** How the emulator reaches the callback URL; default the global fetch (tests: yoga.fetch). */
  pushFetch?: (url: string, init: RequestInit) => Promise<Response>;
}

function target(app: GatewayApp, origin: string, settings: CallbackSettings): PushTarget {
  return {
    url: `${origin}/wechat/callback/${app.name}`,
    token: settings.token,
    encodingAesKey: settings.aesKeys[0],
    appId: app.appId,
    mode: 'safe',
    // Official accounts push XML, mini programs may choose JSON.
    format: app.kind === 'official' ? 'xml' : 'json',
  };
}

function describe(pushed: string, app: GatewayApp, action: PushedAction): object {
  return {
    app: app.name,
    pushed,
    openid: action.openid,
    message: action.message,
    delivered: action.delivery.delivered,
    attempts: action.delivery.attempts,
  };
}

type PushCall = SandboxCall<'any'>;
export type SandboxPush = (call: PushCall) => Promise<object>;

/** The four user actions, each pushed to the calling gateway's callback of the named app. */
export function createSandboxPushes(
  deps: SandboxPushDeps,
): Record<'follow' | 'unfollow' | 'menuClick' | 'text', SandboxPush> {
  const clock = deps.clock ?? systemClock;
  const actions = createPushActions({
    sender: createPushSender({ clock, fetch: deps.pushFetch }),
    clock,
  });
  /** Where to push, and who acts: the openid given, else a seeded follower or non-follower. */
  const who = ({ app, params, origin }: PushCall) => {
    const settings = deps.callbacks[app.name];
    if (!settings) throw new ControlInputError(`app "${app.name}" has no callback`);
    const follower = deps.emulator.followerOpenids(app.appId)[0] ?? 'oSandboxUser000000000000001';
    const openid = params.text('openid') || undefined;
    return {
      to: target(app, origin, settings),
      follower: openid ?? follower,
      newcomer: openid ?? deps.emulator.unsubscribedOpenids(app.appId)[0] ?? follower,
    };
  };
  return {
    async follow(call) {
      const { to, newcomer } = who(call);
      const scene = call.params.text('scene') || undefined;
      return describe('follow', call.app, await actions.follow(to, newcomer, scene));
    },
    async unfollow(call) {
      const { to, follower } = who(call);
      return describe('unfollow', call.app, await actions.unfollow(to, follower));
    },
    async menuClick(call) {
      const { to, follower } = who(call);
      const key = call.params.text('key') || 'V1001_TODAY_MUSIC';
      return describe('menu-click', call.app, await actions.menuClick(to, follower, key));
    },
    async text(call) {
      const { to, follower } = who(call);
      const content = call.params.text('content') || 'hello from the sandbox';
      return describe('text', call.app, await actions.text(to, follower, content));
    },
  };
}
