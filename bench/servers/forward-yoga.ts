/**
 * (b) The floor of any yoga gateway: what a team would write in twenty lines. One resolver
 * forwards each `userInfo` to WeChat's batchget with undici (a long-lived Pool), with a token
 * fetched once at start. No caller check, no refresh, no batching, no cache.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { listenOnLoopback } from '../ipc.js';

const { BENCH_EMULATOR_URL = '', BENCH_APP_ID: appid, BENCH_APP_SECRET: secret } = process.env;
const wechat = new Pool(BENCH_EMULATOR_URL, { headersTimeout: 5_000, bodyTimeout: 5_000 });
const post = async (path: string, body: unknown) => {
  const headers = { 'content-type': 'application/json' };
  const res = await wechat.request({ method: 'POST', path, headers, body: JSON.stringify(body) });
  return res.body.json() as Promise<Record<string, unknown>>;
};
const grant = { grant_type: 'client_credential', appid, secret };
const token = String((await post('/cgi-bin/stable_token', grant))['access_token']);

type WechatUser = { openid: string; subscribe: number; language?: string };
const yoga = createYoga({
  schema: createSchema({
    typeDefs: `type Query { userInfo(openid: String!): User! }
      type User { openid: String! subscribed: Boolean! language: String }`,
    resolvers: {
      Query: {
        async userInfo(_: unknown, { openid }: { openid: string }) {
          const answer = await post(`/cgi-bin/user/info/batchget?access_token=${token}`, {
            user_list: [{ openid, lang: 'zh_CN' }],
          });
          const [user] = (answer['user_info_list'] ?? []) as WechatUser[];
          if (!user) throw new Error(`WeChat answered ${JSON.stringify(answer)}`);
          return { openid: user.openid, subscribed: user.subscribe === 1, language: user.language };
        },
      },
    },
  }),
});
const origin = await listenOnLoopback(createServer(yoga));
process.on('SIGTERM', () => process.exit(0));
console.log(`listening ${origin}${yoga.graphqlEndpoint}`);
