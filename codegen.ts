import type { CodegenConfig } from '@graphql-codegen/cli';

const EVENT_SOURCE = '../events/types.js#WechatEventSource';
/** Every event type reads the flat record of the event log (src/events/types.ts). */
const EVENT_MAPPERS = Object.fromEntries(
  [
    'WechatEvent',
    ...['Follow', 'Unfollow', 'Scan', 'LocationReport', 'MenuClick', 'MenuView'].map(
      (name) => `${name}Event`,
    ),
    ...['TemplateSendFinished', 'MassSendFinished'].map((name) => `${name}Event`),
    ...['Popup', 'Change', 'Sent'].map((name) => `SubscribeMessage${name}Event`),
    ...['Text', 'Image', 'Voice', 'Video', 'Location', 'Link'].map((name) => `${name}Message`),
    'UnknownWechatEvent',
  ].map((type) => [type, EVENT_SOURCE]),
);

// Paths in `contextType` and `mappers` are relative to the generated file.
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../resolvers/context.js#GraphQLContext',
        scalars: { DateTime: 'Date', JSONObject: 'Record<string, unknown>' },
        mappers: {
          WechatUser: '../wechat/types.js#RawUserInfo',
          FollowerConnection: '../resolvers/mappers.js#FollowerPage',
          FollowerEdge: '../resolvers/mappers.js#FollowerEdgeSource',
          OpenidResult: '../resolvers/mappers.js#OpenidGrant',
          LoginResult: '../resolvers/mappers.js#LoginGrant',
          Viewer: '../resolvers/mappers.js#ViewerSource',
          OAuthProfile: '../wechat/types.js#RawSnsUserInfo',
          AccessToken: '../tokens/types.js#AccessTokenInfo',
          TokenStatus: '../resolvers/mappers.js#TokenStatusSource',
          QuotaLedger: '../tokens/types.js#QuotaLedgerDay',
          BreakerState: '../resolvers/mappers.js#BreakerStateSource',
          TokenCallCount: '../resolvers/mappers.js#TokenCallSource',
          RefreshBudget: '../tokens/types.js#RefreshBudgetState',
          Tag: '../resolvers/mappers.js#TagSource',
          ...EVENT_MAPPERS,
        },
      },
    },
    // The printed schema (merged SDL with @auth and every description) for editors, linters and
    // client tooling; CI fails when it is stale.
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
    // Typed documents for the operations in client/operations (README, "For frontend developers").
    // String documents: the client sends them as they are and needs no graphql runtime.
    'client/generated/': {
      documents: 'client/operations/*.graphql',
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        // As the JSON response carries it: an RFC 3339 string.
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
        strictScalars: true,
      },
    },
  },
};

export default config;
