/**
 * Sandbox mode in one place: with no WeChat credentials configured, an in-process emulator plays
 * WeChat. main.ts imports this module dynamically and only in sandbox mode, so a gateway that
 * talks to WeChat never loads the emulator (test/unit/live-imports.test.ts holds it to that).
 */
import { randomBytes } from 'node:crypto';
import type { AppExtensions } from '../app.js';
import { SANDBOX_APP_NAMES } from '../config.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import type { Logger } from '../logger.js';
import type { TokenMode, WechatAppConfig } from '../wechat/types.js';
import { createSandboxGraphiqlPage } from './graphiql.js';
import { SANDBOX_ROUTES, useSandboxRoutes, type SandboxEmulator } from './routes.js';

export interface SandboxOptions {
  tokenMode: TokenMode;
  /** ADMIN_API_KEY, if set; otherwise the sandbox makes up a key. */
  adminApiKey: string | undefined;
}

export interface Sandbox {
  /** The emulator's apps, as the gateway is to configure them. */
  readonly appConfigs: readonly WechatAppConfig[];
  /** The emulator: the gateway's upstream in place of api.weixin.qq.com. */
  readonly baseUrl: string;
  /** The admin key the gateway is to use: ADMIN_API_KEY, or one generated for this run. */
  readonly adminKey: string;
  /** For createApp: the code-minting routes and GraphiQL examples that run as they are. */
  readonly extensions: AppExtensions;
  /** Logs how to try the sandbox, once the gateway listens on `base` (e.g. http://localhost:4000). */
  banner(base: string, graphqlPath: string): void;
  close(): Promise<void>;
}

/** The emulator's apps with the names config.ts validates WECHAT_DEFAULT_APP against. */
export function sandboxAppConfigs(
  emulator: Pick<Emulator, 'apps'>,
  tokenMode: TokenMode,
): WechatAppConfig[] {
  return emulator.apps.map((app) => ({
    name: SANDBOX_APP_NAMES[app.kind],
    kind: app.kind,
    appId: app.appId,
    appSecret: app.appSecret,
    tokenMode,
  }));
}

/** `graphiqlAdminKey`: a key generated for this run, which GraphiQL then sends by itself. */
export function createSandboxExtensions(
  emulator: SandboxEmulator,
  graphiqlAdminKey?: string,
): AppExtensions {
  return {
    plugins: (apps) => [useSandboxRoutes({ emulator, apps })],
    graphiqlPage: createSandboxGraphiqlPage(emulator, graphiqlAdminKey),
  };
}

export async function startSandbox(options: SandboxOptions, logger: Logger): Promise<Sandbox> {
  const emulator = await createEmulator();
  // Without ADMIN_API_KEY a throw-away key, pre-filled in GraphiQL, lets the admin examples run;
  // it guards only emulator tokens and is never logged.
  const generated = options.adminApiKey === undefined;
  const adminKey = options.adminApiKey ?? randomBytes(24).toString('base64url');
  return {
    appConfigs: sandboxAppConfigs(emulator, options.tokenMode),
    baseUrl: emulator.url,
    adminKey,
    extensions: createSandboxExtensions(emulator, generated ? adminKey : undefined),
    banner(base, graphqlPath) {
      logger.warn(
        { graphiql: `${base}${graphqlPath}`, emulator: emulator.url },
        'SANDBOX MODE: WECHAT_APP_ID/WECHAT_APP_SECRET are not set, so a local WeChat emulator ' +
          'answers every upstream call with generated data. Set them to talk to WeChat.',
      );
      logger.warn(
        `SANDBOX MODE: open ${base}${graphqlPath} in a browser; the examples there are ready ` +
          `to run. New login codes: ${base}${SANDBOX_ROUTES.oauthCode}?scope=snsapi_userinfo ` +
          `(official account) and ${base}${SANDBOX_ROUTES.jsCode} (mini program), GET or POST.`,
      );
      if (generated) {
        logger.warn(
          'SANDBOX MODE: admin fields use a generated key that GraphiQL sends for you; set ' +
            'ADMIN_API_KEY to use your own (e.g. with curl).',
        );
      }
    },
    close: () => emulator.close(),
  };
}
