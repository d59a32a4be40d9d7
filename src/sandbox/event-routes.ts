/**
 * Sandbox only: routes that make an emulated user do something WeChat pushes to the app, so a
 * newcomer sees events arrive on a `wechatEvents` subscription. The emulator pushes to this
 * gateway's own callback URL (the origin the route was called on), signed and encrypted as WeChat
 * does, and the route answers with what it pushed and how the callback answered.
 */
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { systemClock, type Clock } from '../shared/clock.js';
import { SANDBOX_APP_NAMES } from '../config/config.js';
import type { Emulator } from '../emulator/index.js';
import { createPushActions, type PushedAction } from '../emulator/push-actions.js';
import { createPushSender, type PushTarget } from '../emulator/push.js';
import type { CallbackSettings } from '../config/events.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import { SandboxRequestError, useSandboxJsonRoutes } from './routes.js';

export const SANDBOX_EVENT_ROUTES = {
  follow: '/sandbox/events/follow',
  unfollow: '/sandbox/events/unfollow',
  menuClick: '/sandbox/events/menu-click',
  text: '/sandbox/events/text',
} as const;

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

export interface SandboxEventRoutesDeps {
  emulator: SandboxPushEmulator;
  apps: AppRegistry;
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

function describe(route: string, app: GatewayApp, pushed: PushedAction): Record<string, unknown> {
  return {
    app: app.name,
    pushed: route.slice('/sandbox/events/'.length),
    openid: pushed.openid,
    message: pushed.message,
    delivered: pushed.delivery.delivered,
    attempts: pushed.delivery.attempts,
  };
}

export function useSandboxEventRoutes(deps: SandboxEventRoutesDeps): Plugin {
  const clock = deps.clock ?? systemClock;
  const sender = createPushSender({ clock, fetch: deps.pushFetch });
  const actions = createPushActions({ sender, clock });
  const routes = new Set<string>(Object.values(SANDBOX_EVENT_ROUTES));
  const pickApp = (name: string | undefined): GatewayApp => {
    try {
      return deps.apps.resolve(name);
    } catch (error) {
      throw new SandboxRequestError(error instanceof Error ? error.message : String(error));
    }
  };
  const act = (route: string, params: Map<string, string>, origin: string) => {
    const app = pickApp(params.get('app'));
    const settings = deps.callbacks[app.name];
    if (!settings) throw new SandboxRequestError(`app "${app.name}" has no callback`);
    const to = target(app, origin, settings);
    const follower = deps.emulator.followerOpenids(app.appId)[0] ?? 'oSandboxUser000000000000001';
    const newcomer = deps.emulator.unsubscribedOpenids(app.appId)[0] ?? follower;
    const openid = params.get('openid') || undefined;
    if (route === SANDBOX_EVENT_ROUTES.follow) {
      return actions.follow(to, openid ?? newcomer, params.get('scene') || undefined);
    }
    if (route === SANDBOX_EVENT_ROUTES.unfollow) return actions.unfollow(to, openid ?? follower);
    if (route === SANDBOX_EVENT_ROUTES.menuClick) {
      return actions.menuClick(to, openid ?? follower, params.get('key') || 'V1001_TODAY_MUSIC');
    }
    return actions.text(to, openid ?? follower, params.get('content') || 'hello from the sandbox');
  };
  // Only the sandbox's own refusals are the caller's: a failed push is the gateway's problem.
  const isOwnRefusal = (error: unknown): error is Error => error instanceof SandboxRequestError;
  return useSandboxJsonRoutes(
    routes,
    async (path, params, url) => {
      const app = pickApp(params.get('app'));
      const pushed = await act(path, params, url.origin);
      return describe(path, app, pushed);
    },
    isOwnRefusal,
  );
}
