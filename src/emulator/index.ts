import { createControlTable } from './control-table.js';
import { createWechatRoutes } from './endpoints.js';
import { createInProcessEmulator } from './in-process.js';
import { createRidGenerator } from './rid.js';
import { startServer } from './server.js';
import { createServices } from './services.js';
import type { Emulator, EmulatorOptions } from './types.js';

export { DEFAULT_EMULATOR_APPS } from './default-apps.js';
export type { Emulator, EmulatorApp, EmulatorOptions } from './types.js';
export type { JsapiConfigCheck, JsapiConfigInput } from './jssdk-config.js';
export { AUTHORIZE_PATH } from './oauth-authorize.js';
export type { SentMessage } from './send-log.js';
export type { EmulatedTemplate } from './catalogue.js';
export { CONTROL_ALIASES, CONTROL_PATHS } from './control-table.js';
export { codeLifetimeSeconds } from './code-lifetimes.js';

/**
 * A local stand-in for api.weixin.qq.com (see docs/wechat-api.md): a real HTTP server on
 * loopback plus the controls tests and demos need, in process and (with `controls: true`) over
 * HTTP. Resolves once it listens.
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const services = createServices(options);
  const emulator = createInProcessEmulator(services);
  const { calls, faults, clock } = services;
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes: createWechatRoutes(services),
    faults,
    calls,
    nextRid: createRidGenerator(clock),
    controls: options.controls
      ? createControlTable({ ...emulator, callCounts: (appId) => calls.snapshot(appId) })
      : undefined,
  });
  return { ...emulator, url: server.url, close: () => server.close() };
}
