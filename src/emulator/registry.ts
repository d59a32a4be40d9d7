import type { EmulatorApp } from './emulator-app.js';
import { createUserDirectory, type UserDirectory } from './user-directory.js';

export interface RegisteredApp {
  readonly config: EmulatorApp;
  readonly users: UserDirectory;
}

/** The emulated apps by appid, with their users. */
export interface EmulatorAppRegistry {
  readonly apps: readonly EmulatorApp[];
  get(appId: string): RegisteredApp | undefined;
  /** For controls: an unknown appid is a mistake in the test, so it throws. */
  require(appId: string): RegisteredApp;
}

const DEFAULT_FOLLOWERS = 300;

function validateApp(app: EmulatorApp): EmulatorApp {
  if (typeof app.appId !== 'string' || app.appId.length === 0) {
    throw new RangeError('emulator app: appId must be a non-empty string');
  }
  if (typeof app.appSecret !== 'string' || app.appSecret.length === 0) {
    throw new RangeError(`emulator app ${app.appId}: appSecret must be a non-empty string`);
  }
  if (app.kind !== 'official' && app.kind !== 'miniprogram') {
    throw new RangeError(`emulator app ${app.appId}: kind must be 'official' or 'miniprogram'`);
  }
  const followers = app.followers ?? (app.kind === 'official' ? DEFAULT_FOLLOWERS : 0);
  if (!Number.isSafeInteger(followers) || followers < 0) {
    throw new RangeError(`emulator app ${app.appId}: followers must be a non-negative integer`);
  }
  if (app.kind === 'miniprogram' && followers !== 0) {
    throw new RangeError(`emulator app ${app.appId}: mini programs have no followers`);
  }
  return Object.freeze({ ...app, followers });
}

export function createEmulatorAppRegistry(
  apps: readonly EmulatorApp[],
  seed: number,
): EmulatorAppRegistry {
  const byId = new Map<string, RegisteredApp>();
  const configs: EmulatorApp[] = [];
  for (const raw of apps) {
    const config = validateApp(raw);
    if (byId.has(config.appId)) {
      throw new RangeError(`emulator app ${config.appId} is configured twice`);
    }
    byId.set(config.appId, {
      config,
      users: createUserDirectory(seed, config.appId, config.followers ?? 0),
    });
    configs.push(config);
  }
  return {
    apps: Object.freeze(configs),
    get: (appId) => byId.get(appId),
    require(appId) {
      const app = byId.get(appId);
      if (!app) throw new RangeError(`emulator has no app ${appId}`);
      return app;
    },
  };
}
