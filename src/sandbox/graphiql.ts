/**
 * GraphiQL in sandbox mode: the examples name real emulator users and carry login codes minted
 * for each page load, so every one of them runs as it is.
 */
import {
  exampleApps,
  officialAppArgument,
  type GraphiqlPageFactory,
} from '../graphiql-examples.js';
import { SANDBOX_ROUTES, type SandboxEmulator } from './routes.js';

/** Codes are single-use, so the header says where more come from. */
function notes(origin: string): string[] {
  return [
    '# SANDBOX MODE: a local emulator plays WeChat; all data is generated.',
    '# Login codes work once and expire after 5 minutes. For a new one open (or curl -X POST):',
    `#   ${origin}${SANDBOX_ROUTES.oauthCode}?scope=snsapi_userinfo   official account (web OAuth)`,
    `#   ${origin}${SANDBOX_ROUTES.oauthCode}?scope=snsapi_base       (no profile)`,
    `#   ${origin}${SANDBOX_ROUTES.jsCode}                            mini program (wx.login)`,
    '#',
  ];
}

/** `adminKey`: a key generated for this run, pre-filled in GraphiQL's Headers tab. */
export function createSandboxGraphiqlPage(
  emulator: SandboxEmulator,
  adminKey: string | undefined,
): GraphiqlPageFactory {
  return (apps, origin) => {
    const { official, mini } = exampleApps(apps);
    const openids = official
      ? [
          ...emulator.followerOpenids(official.appId).slice(0, 2),
          ...emulator.unsubscribedOpenids(official.appId).slice(0, 1),
        ]
      : [];
    return {
      examples: {
        openids,
        officialApp: officialAppArgument(apps, official),
        adminHeaderPrefilled: adminKey !== undefined,
        // Fresh single-use codes on every page load, so the examples run as they are.
        oauthCode:
          official &&
          emulator.mintOAuthCode(official.appId, { scope: 'snsapi_userinfo', openid: openids[0] })
            .code,
        miniProgram: mini && { app: mini.name, jsCode: emulator.mintJsCode(mini.appId).code },
        notes: notes(origin),
      },
      ...(adminKey === undefined ? {} : { headers: { Authorization: `Bearer ${adminKey}` } }),
    };
  };
}
