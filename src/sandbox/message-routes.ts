/**
 * Sandbox only: what the WeChat client would do for the message and phone-number examples — a
 * user's tap on the phone-number button, their "accept" in a subscribe-message dialog — and a
 * view of everything the emulator delivered. GET or POST, like /sandbox/oauth-code.
 */
import type { Plugin } from 'graphql-yoga';
import type { Emulator } from '../emulator/index.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import { pickApp, SandboxRequestError, useSandboxJsonRoutes } from './routes.js';

export type SandboxMessageEmulator = Pick<
  Emulator,
  'mintPhoneCode' | 'grantSubscribeConsent' | 'sentMessages' | 'templates' | 'followerOpenids'
>;

export const SANDBOX_MESSAGE_ROUTES = {
  phoneCode: '/sandbox/phone-code',
  subscribeConsent: '/sandbox/subscribe-consent',
  sentMessages: '/sandbox/sent-messages',
} as const;

const CODE_TTL_SECONDS = 300;

function phoneCode(
  emulator: SandboxMessageEmulator,
  apps: AppRegistry,
  params: Map<string, string>,
) {
  const app = pickApp(apps, params.get('app'), 'miniprogram');
  const minted = emulator.mintPhoneCode(app.appId, {
    openid: params.get('openid') || undefined,
    phoneNumber: params.get('phoneNumber') || undefined,
    countryCode: params.get('countryCode') || undefined,
  });
  return {
    app: app.name,
    ...minted,
    expiresInSeconds: CODE_TTL_SECONDS,
    query: `query { phoneNumber(code: "${minted.code}", app: "${app.name}") { phoneNumber purePhoneNumber countryCode } }`,
  };
}

function resolveApp(apps: AppRegistry, name: string | undefined): GatewayApp {
  try {
    return apps.resolve(name);
  } catch (error) {
    throw new SandboxRequestError(error instanceof Error ? error.message : String(error));
  }
}

function consent(emulator: SandboxMessageEmulator, apps: AppRegistry, params: Map<string, string>) {
  const app = resolveApp(apps, params.get('app'));
  const templates = emulator.templates(app.appId).filter((t) => t.kind === 'subscribe');
  const templateId = params.get('templateId') ?? templates[0]?.templateId;
  if (templateId === undefined) throw new SandboxRequestError('this app has no subscribe template');
  const openid = params.get('openid') ?? emulator.followerOpenids(app.appId)[0];
  if (openid === undefined) throw new SandboxRequestError('"openid" is required for this app');
  const count = Number(params.get('count') ?? '1');
  const consents = emulator.grantSubscribeConsent(app.appId, { openid, templateId, count });
  return { app: app.name, openid, templateId, consents, templates };
}

export function useSandboxMessageRoutes(deps: {
  emulator: SandboxMessageEmulator;
  apps: AppRegistry;
}): Plugin {
  return useSandboxJsonRoutes(Object.values(SANDBOX_MESSAGE_ROUTES), (path, params) => {
    if (path === SANDBOX_MESSAGE_ROUTES.sentMessages) {
      const app = params.get('app');
      const messages = deps.emulator.sentMessages(
        app === undefined ? undefined : resolveApp(deps.apps, app).appId,
      );
      return { messages };
    }
    const handle = path === SANDBOX_MESSAGE_ROUTES.phoneCode ? phoneCode : consent;
    return handle(deps.emulator, deps.apps, params);
  });
}
