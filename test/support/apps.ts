import {
  DEFAULT_EMULATOR_APPS,
  type Emulator,
  type EmulatorApp,
} from '../../src/emulator/index.js';
import type { TokenMode, WechatAppConfig } from '../../src/wechat/types.js';

function defaultApp(kind: EmulatorApp['kind']): EmulatorApp {
  const app = DEFAULT_EMULATOR_APPS.find((candidate) => candidate.kind === kind);
  if (!app) throw new Error(`no default ${kind} app`);
  return app;
}

/** The emulator's sandbox official account and mini program. */
export const OFFICIAL = defaultApp('official');
export const MINI = defaultApp('miniprogram');

/** The gateway's configuration of a sandbox app, named after its kind. */
export function appConfig(app: EmulatorApp, mode: TokenMode = 'stable'): WechatAppConfig {
  return {
    name: app.kind,
    kind: app.kind,
    appId: app.appId,
    appSecret: app.appSecret,
    tokenMode: mode,
  };
}

export function officialApp(mode: TokenMode = 'stable'): WechatAppConfig {
  return appConfig(OFFICIAL, mode);
}

/** The official account's first follower (oldest follow). */
export function firstFollower(emulator: Pick<Emulator, 'followerOpenids'>): string {
  const openid = emulator.followerOpenids(OFFICIAL.appId)[0];
  if (openid === undefined) throw new Error('emulator has no follower');
  return openid;
}
