/**
 * (b′) The forwarder of (b) without GraphQL: bare node:http takes `{"openid": …}`, forwards it to
 * WeChat's batchget with undici (a long-lived Pool, a token fetched once at start) and answers
 * the user as JSON. What a hand-written REST endpoint costs.
 */
import { createServer } from 'node:http';
import { text } from 'node:stream/consumers';
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
const server = createServer((req, res) => {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  text(req)
    .then(async (body) => {
      const { openid } = JSON.parse(body) as { openid: string };
      const answer = await post(`/cgi-bin/user/info/batchget?access_token=${token}`, {
        user_list: [{ openid, lang: 'zh_CN' }],
      });
      const [user] = (answer['user_info_list'] ?? []) as WechatUser[];
      if (!user) return reply(502, { error: answer });
      const language = user.language ?? null;
      reply(200, { openid: user.openid, subscribed: user.subscribe === 1, language });
    })
    .catch((error: unknown) => reply(500, { error: String(error) }));
});
const origin = await listenOnLoopback(server);
process.on('SIGTERM', () => process.exit(0));
console.log(`listening ${origin}/user`);
