import type { CodegenConfig } from '@graphql-codegen/cli';

// Paths in `contextType` and `mappers` are relative to the generated file.
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.js#GraphQLContext',
        scalars: { DateTime: 'Date' },
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
        },
      },
    },
  },
};

export default config;
