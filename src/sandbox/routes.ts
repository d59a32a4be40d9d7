/**
 * Sandbox only: small routes that do what the WeChat client would do (a login code, a tap on the
 * phone-number button, a subscribe consent, a follow…), so a newcomer in GraphiQL or with curl
 * can try every example. One table over one helper (sandbox-route.ts): GET or POST, parameters
 * from the query or a JSON or form body, `app` naming the app. Never installed when talking to
 * WeChat.
 */
import type { Plugin } from 'graphql-yoga';
import type { AppRegistry } from '../apps/gateway-apps.js';
import { createSandboxPushes, type SandboxPushDeps } from './event-routes.js';
import {
  grantConsent,
  mintJsCode,
  mintOAuthCode,
  mintPhoneCode,
  sentMessages,
  type SandboxMessageEmulator,
} from './message-routes.js';
import { sandboxRoute, useSandboxTable, type SandboxTable } from './sandbox-route.js';

export const SANDBOX_PATHS = {
  oauthCode: '/sandbox/oauth-code',
  jsCode: '/sandbox/js-code',
  phoneCode: '/sandbox/phone-code',
  subscribeConsent: '/sandbox/subscribe-consent',
  sentMessages: '/sandbox/sent-messages',
  follow: '/sandbox/events/follow',
  unfollow: '/sandbox/events/unfollow',
  menuClick: '/sandbox/events/menu-click',
  text: '/sandbox/events/text',
} as const;

export type SandboxEmulator = SandboxMessageEmulator & SandboxPushDeps['emulator'];

export interface SandboxRoutesDeps extends Omit<SandboxPushDeps, 'emulator'> {
  emulator: SandboxEmulator;
  apps: AppRegistry;
}

/** Every sandbox route: path → which app it acts for → what it does. */
export function sandboxRouteTable(deps: SandboxRoutesDeps): SandboxTable {
  const { emulator, apps } = deps;
  const push = createSandboxPushes(deps);
  const pushes = { pushes: true };
  return new Map([
    [SANDBOX_PATHS.oauthCode, sandboxRoute(apps, 'official', (c) => mintOAuthCode(emulator, c))],
    [SANDBOX_PATHS.jsCode, sandboxRoute(apps, 'miniprogram', (c) => mintJsCode(emulator, c))],
    [SANDBOX_PATHS.phoneCode, sandboxRoute(apps, 'miniprogram', (c) => mintPhoneCode(emulator, c))],
    [SANDBOX_PATHS.subscribeConsent, sandboxRoute(apps, 'any', (c) => grantConsent(emulator, c))],
    [SANDBOX_PATHS.sentMessages, sandboxRoute(apps, 'named', (c) => sentMessages(emulator, c))],
    [SANDBOX_PATHS.follow, sandboxRoute(apps, 'any', push.follow, pushes)],
    [SANDBOX_PATHS.unfollow, sandboxRoute(apps, 'any', push.unfollow, pushes)],
    [SANDBOX_PATHS.menuClick, sandboxRoute(apps, 'any', push.menuClick, pushes)],
    [SANDBOX_PATHS.text, sandboxRoute(apps, 'any', push.text, pushes)],
  ]);
}

export function useSandboxRoutes(deps: SandboxRoutesDeps): Plugin {
  return useSandboxTable(sandboxRouteTable(deps));
}
