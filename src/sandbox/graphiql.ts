/**
 * GraphiQL in sandbox mode: the examples name real emulator users, carry login codes minted for
 * each page load and the keys generated for this run, so every one of them runs as it is.
 */
import {
  exampleApps,
  graphiqlTabs,
  officialAppArgument,
  type GraphiqlPageFactory,
} from '../graphiql/examples.js';
import { randomBytes } from 'node:crypto';
import { codeLifetimeSeconds, type Emulator } from '../emulator/index.js';
import type { AppRegistry } from '../apps/gateway-apps.js';
import type { WriteExampleValues } from '../graphiql/write-operations.js';
import { H5_ROUTES, type SandboxH5Emulator } from './h5.js';
import { SANDBOX_PATHS, type SandboxEmulator } from './routes.js';

export type PageEmulator = SandboxEmulator &
  SandboxH5Emulator &
  Pick<Emulator, 'mediaIds' | 'consoleCreateTag' | 'consoleMassSendNews'>;

/**
 * Values that make the write examples run on every page load: fresh de-duplication ids, a mini
 * program user with one consent, a phone code, a mass job and a tag for the delete examples.
 */
function writeValues(emulator: PageEmulator, apps: AppRegistry): WriteExampleValues | undefined {
  const { official, mini } = exampleApps(apps);
  if (!official || !mini) return undefined;
  const suffix = randomBytes(3).toString('hex');
  const templateId =
    emulator.templates(official.appId).find((t) => t.kind === 'template')?.templateId ?? '';
  const subscribeTemplateId =
    emulator.templates(mini.appId).find((t) => t.kind === 'subscribe')?.templateId ?? '';
  const subscriber = emulator.mintJsCode(mini.appId).openid;
  emulator.grantSubscribeConsent(mini.appId, {
    openid: subscriber,
    templateId: subscribeTemplateId,
  });
  const newsMediaId =
    emulator.mediaIds(official.appId).find((media) => media.type === 'mpnews')?.mediaId ?? '';
  return {
    templateId,
    clientMsgId: `graphiql-${suffix}`,
    subscriber,
    subscribeTemplateId,
    newsMediaId,
    massJobId: String(emulator.consoleMassSendNews(official.appId, newsMediaId)),
    phoneCode: emulator.mintPhoneCode(mini.appId).code,
    tagToDelete: emulator.consoleCreateTag(official.appId, `to-delete-${suffix}`),
    newTagName: `标签-${suffix}`,
  };
}

/** Codes are single-use, so the header says where more come from. */
function notes(origin: string): string[] {
  return [
    '# SANDBOX MODE: a local emulator plays WeChat; all data is generated.',
    `# Login codes work once and expire after ${codeLifetimeSeconds('oauth') / 60} minutes. For a new one open (or curl -X POST):`,
    `#   ${origin}${SANDBOX_PATHS.oauthCode}?scope=snsapi_userinfo   official account (web OAuth)`,
    `#   ${origin}${SANDBOX_PATHS.oauthCode}?scope=snsapi_base       (no profile)`,
    `#   ${origin}${SANDBOX_PATHS.jsCode}                            mini program (wx.login)`,
    `#   ${origin}${SANDBOX_PATHS.phoneCode}                         phone-number button`,
    `#   ${origin}${SANDBOX_PATHS.subscribeConsent}                  subscribe-message consent`,
    `# What the emulator delivered: ${origin}${SANDBOX_PATHS.sentMessages}`,
    `# An H5 page doing all of it as a WeChat page does (OAuth redirect, login, me, wx.config,`,
    `# logout): ${origin}${H5_ROUTES.page}`,
    '#',
  ];
}

/** Keys generated for this run (not the operator's own), which GraphiQL's tabs then send. */
export interface SandboxGraphiqlKeys {
  service?: string;
  admin?: string;
}

export function createSandboxGraphiqlPage(
  emulator: PageEmulator,
  keys: SandboxGraphiqlKeys,
): GraphiqlPageFactory {
  return (apps, origin) => {
    const { official, mini } = exampleApps(apps);
    const openids = official
      ? [
          ...emulator.followerOpenids(official.appId).slice(0, 2),
          ...emulator.unsubscribedOpenids(official.appId).slice(0, 1),
        ]
      : [];
    // Fresh single-use codes on every page load, so the examples run as they are; the login
    // codes belong to the first follower, so `me { user }` shows a subscribed user.
    const oauthCode = (openid: string | undefined) =>
      official
        ? emulator.mintOAuthCode(official.appId, { scope: 'snsapi_userinfo', openid }).code
        : '';
    const jsCode = () => (mini ? emulator.mintJsCode(mini.appId).code : '');
    return {
      tabs: graphiqlTabs({
        openids,
        officialApp: officialAppArgument(apps, official),
        oauthCodes: official && { login: oauthCode(openids[0]), openid: oauthCode(openids[0]) },
        miniProgram: mini && { app: mini.name, jsCodes: { login: jsCode(), openid: jsCode() } },
        notes: notes(origin),
        keys,
        writes: writeValues(emulator, apps),
        eventTriggers: [
          '# Run it, then make an emulated user act (open in a browser, or curl -X POST):',
          `#   ${origin}${SANDBOX_PATHS.follow}?scene=spring-promo   follow through a QR code`,
          `#   ${origin}${SANDBOX_PATHS.menuClick}?key=V1001_TODAY_MUSIC`,
          `#   ${origin}${SANDBOX_PATHS.text}?content=hello`,
          `#   ${origin}${SANDBOX_PATHS.unfollow}`,
        ],
      }),
    };
  };
}
