/**
 * Sandbox mode in one place: with no WeChat credentials configured, an in-process emulator plays
 * WeChat. main.ts imports this module dynamically and only in sandbox mode, so a gateway that
 * talks to WeChat never loads the emulator (test/architecture/live-imports.test.ts holds it to that).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { AccessConfig } from '../config/access.js';
import type { AppExtensions } from '../app/app.js';
import { SANDBOX_APP_NAMES } from '../config/config.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import type { Logger } from '../observability/logger.js';
import type { TokenMode, WechatAppConfig } from '../wechat/types.js';
import {
  createSandboxGraphiqlPage,
  type PageEmulator,
  type SandboxGraphiqlKeys,
} from './graphiql.js';
import { H5_ROUTES, useSandboxH5 } from './h5.js';
import { sandboxCallbacks, type SandboxPushDeps } from './event-routes.js';
import { SANDBOX_PATHS, useSandboxRoutes } from './routes.js';

export interface SandboxOptions {
  tokenMode: TokenMode;
  /** As configured; the sandbox makes up the keys and the session secret left unset. */
  access: AccessConfig;
  /**
   * Where the keys it makes up are written (readable by the owner only) for curl and scripts;
   * undefined: nowhere. Removed again on close.
   */
  keysFile?: string;
}

export interface Sandbox {
  /** The emulator's apps, as the gateway is to configure them. */
  readonly appConfigs: readonly WechatAppConfig[];
  /** The emulator: the gateway's upstream in place of api.weixin.qq.com. */
  readonly baseUrl: string;
  /**
   * The access configuration the gateway is to use: as configured, with a throw-away admin key,
   * service key and session secret for whichever of them is unset.
   */
  readonly access: AccessConfig;
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

/**
 * `graphiqlKeys`: keys generated for this run, which GraphiQL's tabs then send by themselves.
 * Each sandbox app gets a callback URL with a Token and EncodingAESKey made up for this run, and
 * the emulator pushes to it (safe mode) when a /sandbox/events route is called.
 */
export function createSandboxExtensions(
  emulator: PageEmulator,
  graphiqlKeys: SandboxGraphiqlKeys = {},
  options: Pick<SandboxPushDeps, 'pushFetch' | 'clock'> = {},
): AppExtensions {
  const callbacks = sandboxCallbacks();
  return {
    plugins: (apps) => [
      useSandboxRoutes({ emulator, apps, callbacks, ...options }),
      useSandboxH5({ emulator, apps }),
    ],
    graphiqlPage: createSandboxGraphiqlPage(emulator, graphiqlKeys),
    events: { callbacks },
  };
}

const throwAway = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** The keys file's content: only the keys made up for this run. */
function keysFileText(keys: SandboxGraphiqlKeys): string | undefined {
  if (keys.admin === undefined && keys.service === undefined) return undefined;
  const content = {
    ...(keys.admin === undefined ? {} : { adminApiKey: keys.admin }),
    ...(keys.service === undefined ? {} : { serviceApiKey: keys.service }),
    pid: process.pid,
    note: 'Throw-away keys of a sandbox gateway; they work until it stops.',
  };
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** 0600 in a 0700 directory (the default one also holds the file token store). */
async function writeKeysFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, text, { mode: 0o600 });
}

/** Only while it still holds this run's keys: another sandbox may have written it since. */
async function removeKeysFile(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) await rm(file, { force: true });
}

/**
 * Throw-away credentials for whatever is unset, so GraphiQL's examples run as they are. They
 * guard only emulator data and are never logged.
 */
function sandboxAccess(access: AccessConfig): { access: AccessConfig; keys: SandboxGraphiqlKeys } {
  const keys: SandboxGraphiqlKeys = {
    ...(access.adminApiKey === undefined ? { admin: throwAway(24) } : {}),
    ...(access.serviceApiKeys.length === 0 ? { service: throwAway(24) } : {}),
  };
  return {
    keys,
    access: {
      ...access,
      adminApiKey: access.adminApiKey ?? keys.admin,
      serviceApiKeys: keys.service === undefined ? access.serviceApiKeys : [keys.service],
      sessionSecrets: access.sessionSecrets.length > 0 ? access.sessionSecrets : [throwAway(32)],
    },
  };
}

export async function startSandbox(options: SandboxOptions, logger: Logger): Promise<Sandbox> {
  const emulator = await createEmulator();
  const { access, keys } = sandboxAccess(options.access);
  const generated = [
    ...(keys.service === undefined ? [] : ['SERVICE_API_KEYS']),
    ...(keys.admin === undefined ? [] : ['ADMIN_API_KEY']),
  ];
  const keysText = keysFileText(keys);
  const { keysFile } = options;
  let written = false;
  if (keysFile !== undefined && keysText !== undefined) {
    // A convenience: a read-only directory must not stop the sandbox (GraphiQL has the keys).
    written = await writeKeysFile(keysFile, keysText).then(
      () => true,
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        logger.warn(
          `SANDBOX MODE: could not write ${keysFile} (${code}): curl needs your own keys`,
        );
        return false;
      },
    );
  }
  return {
    appConfigs: sandboxAppConfigs(emulator, options.tokenMode),
    baseUrl: emulator.url,
    access,
    extensions: createSandboxExtensions(emulator, keys),
    banner(base, graphqlPath) {
      logger.warn(
        { graphiql: `${base}${graphqlPath}`, emulator: emulator.url },
        'SANDBOX MODE: WECHAT_APP_ID/WECHAT_APP_SECRET are not set, so a local WeChat emulator ' +
          'answers every upstream call with generated data. Set them to talk to WeChat.',
      );
      logger.warn(
        `SANDBOX MODE: open ${base}${graphqlPath} in a browser; the examples there are ready ` +
          `to run. New login codes: ${base}${SANDBOX_PATHS.oauthCode}?scope=snsapi_userinfo ` +
          `(official account) and ${base}${SANDBOX_PATHS.jsCode} (mini program), GET or POST. ` +
          `Phone-number codes: ${base}${SANDBOX_PATHS.phoneCode}; a subscribe-message ` +
          `consent: ${base}${SANDBOX_PATHS.subscribeConsent}; what was sent: ` +
          `${base}${SANDBOX_PATHS.sentMessages}.`,
      );
      logger.warn(
        { h5Example: `${base}${H5_ROUTES.page}` },
        `SANDBOX MODE: an H5 page that logs in as a WeChat page does (web OAuth redirect, ` +
          `login, me, wx.config, logout): ${base}${H5_ROUTES.page}`,
      );
      logger.warn(
        `SANDBOX MODE: the emulator pushes WeChat events to ${base}/wechat/callback/<app> ` +
          `(safe mode): run the WechatEvents subscription in GraphiQL, then open ` +
          `${base}${SANDBOX_PATHS.follow}?scene=spring-promo, ` +
          `${base}${SANDBOX_PATHS.menuClick}?key=V1001_TODAY_MUSIC, ` +
          `${base}${SANDBOX_PATHS.text}?content=hello or ${base}${SANDBOX_PATHS.unfollow}.`,
      );
      if (generated.length > 0) {
        logger.warn(
          `SANDBOX MODE: service and admin fields use throw-away keys that GraphiQL sends for ` +
            `you` +
            (written
              ? `; for curl and scripts they are in ${keysFile} (readable by you only, removed on stop)`
              : '') +
            `; set ${generated.join(' and ')} to use your own.`,
        );
      }
    },
    async close() {
      if (written && keysFile !== undefined && keysText !== undefined) {
        await removeKeysFile(keysFile, keysText);
      }
      await emulator.close();
    },
  };
}
