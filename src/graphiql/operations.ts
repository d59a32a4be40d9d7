/**
 * The example operations of GraphiQL's tabs (examples.ts), one named operation per field: logging
 * in, the session, the service fields that read users and events, the admin fields. The service
 * fields that write are in write-operations.ts.
 */
import type { ExampleValues } from './example-values.js';

const quote = (value: string): string => JSON.stringify(value);

/** `, app: "shop"` when the official account is not the default app. */
const officialArg = (values: ExampleValues): string =>
  values.officialApp === undefined ? '' : `, app: ${quote(values.officialApp)}`;

export function loginOperations(values: ExampleValues): string[] {
  const app = officialArg(values);
  const operations = [
    `# Official account (H5 page): the code of the web-OAuth redirect.
# \`profile\` needs an snsapi_userinfo grant.
mutation Login {
  login(code: ${quote(values.oauthCodes?.login ?? 'CODE_FROM_OAUTH_REDIRECT')}${app}) {
    token
    expiresAt
    openid
    unionid
    scope
    profile {
      nickname
      avatarUrl
    }
  }
}`,
  ];
  const mini = values.miniProgram;
  if (mini !== undefined) {
    operations.push(`# Mini program: the code of wx.login(); the session_key stays on the server.
mutation LoginMiniProgram {
  login(code: ${quote(mini.jsCodes?.login ?? 'CODE_FROM_WX_LOGIN')}, app: ${quote(mini.app)}) {
    token
    expiresAt
    openid
    unionid
  }
}`);
  }
  operations.push(`# Arguments for wx.config(); the #fragment is not signed. Only pages on the hosts in
# JSSDK_ALLOWED_HOSTS are signed (any host in the sandbox).
query JsapiConfig {
  jsapiConfig(url: "https://example.com/page?from=graphiql#top"${app}) {
    appId
    timestamp
    nonceStr
    signature
    url
  }
}`);
  return operations;
}

export function sessionOperations(): string[] {
  return [
    `# \`user\`: the official account's record of this user (null for a mini program session).
query Me {
  me {
    app
    openid
    unionid
    user {
      subscribed
      subscribedAt
      tagIds
    }
  }
}`,
    `mutation Logout {
  logout
}`,
  ];
}

/** Who the users are: profiles, followers, openids (the users tab, with its writes). */
export function userOperations(values: ExampleValues): string[] {
  const [first = 'OPENID'] = values.openids;
  const several = values.openids.length > 1 ? values.openids.slice(0, 3) : [first, 'OPENID_2'];
  const app = officialArg(values);
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
    `# Who a login code belongs to, without opening a session (web OAuth).
query OpenidOfficial {
  openid(code: ${quote(values.oauthCodes?.openid ?? 'CODE_FROM_OAUTH_REDIRECT')}${app}) {
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
  const mini = values.miniProgram;
  if (mini !== undefined) {
    operations.push(`# The same for a wx.login() code; the session_key is not kept.
query OpenidMiniProgram {
  openid(code: ${quote(mini.jsCodes?.openid ?? 'CODE_FROM_WX_LOGIN')}, app: ${quote(mini.app)}) {
    openid
    unionid
  }
}`);
  }
  return operations;
}

/** The event log and the live subscription (last: it keeps running). */
export function eventOperations(values: ExampleValues): string[] {
  const app = officialArg(values).replace(/^, /, '');
  const args = (extra: string) => [app, extra].filter((part) => part !== '').join(', ');
  const triggers = values.eventTriggers ?? [
    '# Events arrive once WeChat pushes to /wechat/callback/<app> (README, "Events").',
  ];
  return [
    `# What WeChat pushed, oldest first; pass pageInfo.endCursor as \`after\` for the next page.
query Events {
  events(${args('first: 20')}) {
    nodes {
      __typename
      id
      openid
      createdAt
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`,
    `# Live events (server-sent events); the stop button ends the subscription.
${triggers.join('\n')}
# After a drop, subscribe again with \`after: "<id of the last event handled>"\`: the missed
# events come first, then live ones.
subscription WechatEvents {
  wechatEvents${app === '' ? '' : `(${app})`} {
    __typename
    id
    openid
    createdAt
    ... on FollowEvent {
      qrScene
    }
    ... on MenuClickEvent {
      key
    }
    ... on TextMessage {
      content
    }
  }
}`,
  ];
}

export function adminOperations(): string[] {
  return [
    `query AccessToken {
  accessToken {
    value
    expiresAt
    fetchedAt
    mode
  }
}`,
    `query TokenStatus {
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
    `# force: true rotates a stable token (20 a day, 30 s apart).
mutation RefreshAccessToken {
  refreshAccessToken(force: false) {
    expiresAt
    fetchedAt
    mode
  }
}`,
    `# After fixing credentials or the IP whitelist.
mutation ResetTokenBreaker {
  resetTokenBreaker {
    breaker {
      open
      errcode
      reason
    }
  }
}`,
  ];
}
