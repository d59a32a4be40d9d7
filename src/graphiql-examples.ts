/**
 * The document GraphiQL opens with: one named operation per field, ready to run. Without more to
 * go on the examples carry placeholders; a caller that knows real users and codes (the sandbox)
 * passes its own GraphiqlPageFactory to createApp.
 */
import type { AppRegistry, GatewayApp } from './gateway-apps.js';

export interface ExampleValues {
  /** Openids to show in the user queries (the first one is used for `userInfo`). */
  openids: readonly string[];
  /** The official account to name in official-only examples when it is not the default app. */
  officialApp?: string;
  /** A web-OAuth code (official account, snsapi_userinfo); a placeholder when none is at hand. */
  oauthCode?: string;
  /** A mini program login code and the mini program's app name. */
  miniProgram?: { app: string; jsCode?: string };
  /** Comment lines for the header, after the introduction (the sandbox explains itself here). */
  notes?: readonly string[];
  /** GraphiQL's Headers tab already carries a working admin key (sandbox without ADMIN_API_KEY). */
  adminHeaderPrefilled?: boolean;
}

/** What GraphiQL shows on one page load. */
export interface GraphiqlPage {
  examples: ExampleValues;
  /** Pre-filled request headers (GraphiQL's Headers tab). */
  headers?: Record<string, string>;
}

/** Builds the page for one load; `origin` is the gateway's as the browser reached it. */
export type GraphiqlPageFactory = (apps: AppRegistry, origin: string) => GraphiqlPage;

/** The apps the examples use: the default app if it is an official account, else the first one. */
export function exampleApps(apps: AppRegistry): { official?: GatewayApp; mini?: GatewayApp } {
  const official =
    apps.defaultApp.kind === 'official'
      ? apps.defaultApp
      : apps.all.find((app) => app.kind === 'official');
  return { official, mini: apps.all.find((app) => app.kind === 'miniprogram') };
}

/** The official account's name for `app:` arguments, when it is not the default app anyway. */
export function officialAppArgument(
  apps: AppRegistry,
  official: GatewayApp | undefined,
): string | undefined {
  return official && official !== apps.defaultApp ? official.name : undefined;
}

/** The examples with placeholders for openids and codes: nothing here calls WeChat. */
export const placeholderPage: GraphiqlPageFactory = (apps) => {
  const { official, mini } = exampleApps(apps);
  return {
    examples: {
      openids: [],
      officialApp: officialAppArgument(apps, official),
      miniProgram: mini && { app: mini.name },
    },
  };
};

const quote = (value: string): string => JSON.stringify(value);

function header(values: ExampleValues): string {
  const lines = [
    '# wechat-graphql-gateway: example operations.',
    '# Pick one with the run button (▶) or put the cursor inside it and press Ctrl/Cmd+Enter.',
    '#',
    ...(values.notes ?? []),
    '# Admin operations (AccessToken, TokenStatus, RefreshAccessToken, ResetTokenBreaker) need the',
    '# request header below in the Headers tab at the bottom:',
    '#   {"Authorization": "Bearer <ADMIN_API_KEY>"}',
  ];
  if (values.adminHeaderPrefilled) {
    lines.push(
      '# In this sandbox the Headers tab already carries a throw-away key generated at start-up;',
      '# set ADMIN_API_KEY to use your own.',
    );
  } else {
    lines.push(
      '# Without it they fail with UNAUTHENTICATED (HTTP 401); with no ADMIN_API_KEY on the server,',
      '# with FORBIDDEN.',
    );
  }
  return lines.join('\n');
}

export function graphiqlDefaultQuery(values: ExampleValues): string {
  const [first = 'OPENID'] = values.openids;
  const several = values.openids.length > 1 ? values.openids.slice(0, 3) : [first, 'OPENID_2'];
  const miniApp = values.miniProgram?.app;
  const app = values.officialApp === undefined ? '' : `, app: ${quote(values.officialApp)}`;
  const operations = [
    `query UserInfo {
  userInfo(openid: ${quote(first)}, lang: ZH_CN${app}) {
    openid
    subscribed
    subscribedAt
    language
    unionid
    remark
    tagIds
    subscribeScene
    qrScene
    qrSceneStr
  }
}`,
    `# Batched: 1–100 users cost one upstream call.
query Users {
  users(openids: [${several.map(quote).join(', ')}]${app}) {
    openid
    subscribed
    subscribedAt
    tagIds
  }
}`,
    `# Pass pageInfo.endCursor as \`after\` for the next page.
query Followers {
  followers(first: 5${app}) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        openid
        subscribedAt
        tagIds
      }
    }
  }
}`,
    `# Official account web OAuth; \`profile\` needs an snsapi_userinfo grant.
query OpenidOfficial {
  openid(code: ${quote(values.oauthCode ?? 'CODE_FROM_OAUTH_REDIRECT')}${app}) {
    openid
    unionid
    scope
    profile {
      nickname
      avatarUrl
      privilege
    }
  }
}`,
  ];
  if (miniApp !== undefined) {
    operations.push(`# Mini program login (wx.login); the session_key stays on the server.
query OpenidMiniProgram {
  openid(code: ${quote(values.miniProgram?.jsCode ?? 'CODE_FROM_WX_LOGIN')}, app: ${quote(miniApp)}) {
    openid
    unionid
  }
}`);
  }
  operations.push(
    `# Arguments for wx.config(); the #fragment is not signed.
query JsapiConfig {
  jsapiConfig(url: "https://example.com/page?from=graphiql#top"${app}) {
    appId
    timestamp
    nonceStr
    signature
    url
  }
}`,
    `# Admin only.
query AccessToken {
  accessToken {
    value
    expiresAt
    fetchedAt
    mode
  }
}`,
    `# Admin only.
query TokenStatus {
  tokenStatus {
    app
    appId
    mode
    tokenFingerprint
    expiresAt
    fetchedAt
    lastRefreshReason
    quota {
      day
      tokenCalls {
        endpoint
        reason
        count
      }
      failures {
        errcode
        count
      }
      ticketCalls
      stale
    }
    breaker {
      open
      errcode
      reason
      until
    }
  }
}`,
    `# Admin only. force: true rotates a stable token (20 a day, 30 s apart).
mutation RefreshAccessToken {
  refreshAccessToken(force: false) {
    expiresAt
    fetchedAt
    mode
  }
}`,
    `# Admin only: after fixing credentials or the IP whitelist.
mutation ResetTokenBreaker {
  resetTokenBreaker {
    breaker {
      open
      errcode
      reason
    }
  }
}`,
  );
  return `${header(values)}\n\n${operations.join('\n\n')}\n`;
}
