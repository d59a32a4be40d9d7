/**
 * The rows of the bench: each server in its own process, what it is asked and the exact answer
 * each request must get. Expected answers are built from the emulator's own records, checked once
 * per request body by a probe (content, not only status); the load then compares byte for byte.
 */
import { request } from 'undici';
import type { BenchEmulator, UserRecord } from './emulator.js';
import { OFFICIAL } from './emulator.js';
import { cleanEnv, gatewayEnv, gatewaySettings, SERVICE_KEY, startGateway } from './gateway.js';
import type { Call, Target } from './load.js';
import { startProcess, tsxArgs, type Started } from './processes.js';
import type { BenchRedis } from './redis.js';

export type RowId = 'a' | 'b' | 'b′' | 'c' | 'c′' | 'd' | 'e' | 'f';

export interface Row {
  readonly id: RowId;
  readonly title: string;
  readonly process: Started;
  readonly target: Target;
  /** Gateway variables that differ between rows (shown in the report). */
  readonly settings: Record<string, string>;
  /** The Redis store whose commands count for this row. */
  readonly redis?: BenchRedis;
}

/** How many users each `users` operation of row (d) asks for (one batchget's worth). */
export const USERS_PER_OPERATION = 100;
/** Sessions of row (e): distinct users logged in once each, used in turn. */
const SESSIONS = 20;
/** Row (f): how long the user cache keeps a record, in seconds. */
export const USER_CACHE_TTL = '60';

const FIELDS = 'openid subscribed language';
const USER_INFO = `query ($openid: String!) { userInfo(openid: $openid) { ${FIELDS} } }`;
const USERS = `query ($openids: [String!]!) { users(openids: $openids) { ${FIELDS} } }`;
const ME = `query { me { openid user { ${FIELDS} } } }`;
const LOGIN = 'mutation ($code: String!) { login(code: $code) { token openid } }';

const graphql = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify(variables ? { query, variables } : { query });

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.statusCode, text: await response.body.text() };
}

/**
 * Sends each call once and checks its answer against `expect(i)`; returns the target with the
 * exact texts, which every later response must repeat.
 */
async function target(
  url: string,
  calls: readonly Call[],
  expect: (index: number) => unknown,
): Promise<Target> {
  const expected: string[] = [];
  for (const [i, call] of calls.entries()) {
    const { status, text } = await post(url, call.body, call.headers);
    const wanted = JSON.stringify(expect(i));
    if (status !== 200 || JSON.stringify(JSON.parse(text)) !== wanted) {
      throw new Error(`${url} answered ${status} ${text.slice(0, 500)}; expected ${wanted}`);
    }
    expected.push(text);
  }
  return { url, calls, expected };
}

/** Logs each user in once, as a page does after WeChat's OAuth redirect: a session token each. */
async function sessions(emulator: BenchEmulator, url: string, openids: readonly string[]) {
  const tokens: string[] = [];
  for (const openid of openids) {
    const code = await emulator.oauthCode(openid);
    const { status, text } = await post(url, graphql(LOGIN, { code }));
    const login = (JSON.parse(text) as { data?: { login?: { token: string; openid: string } } })
      .data?.login;
    if (status !== 200 || login?.openid !== openid) throw new Error(`login failed: ${status}`);
    tokens.push(login.token);
  }
  return tokens;
}

/** Starts every server (in parallel), then probes each. */
export async function startRows(emulator: BenchEmulator, redis: BenchRedis): Promise<Row[]> {
  const followers = await emulator.followers();
  const records = await emulator.records(followers.slice(0, USERS_PER_OPERATION));
  // batchget takes 100 users: the rest of the followers in further calls.
  for (let i = USERS_PER_OPERATION; i < followers.length; i += USERS_PER_OPERATION) {
    records.push(...(await emulator.records(followers.slice(i, i + USERS_PER_OPERATION))));
  }
  const record = (i: number): UserRecord => {
    const found = records[i % records.length];
    if (!found) throw new Error('the emulator has no followers');
    return found;
  };

  const forwarderEnv = {
    BENCH_EMULATOR_URL: emulator.url,
    BENCH_APP_ID: OFFICIAL.appId,
    BENCH_APP_SECRET: OFFICIAL.appSecret,
  };
  const bench = (name: string, file: string, env: Record<string, string> = {}) =>
    startProcess(name, process.execPath, tsxArgs(file), {
      env: cleanEnv(env),
      ready: /^listening (http:\/\/\S+)$/,
    });
  const settings = {
    c: gatewaySettings({}),
    'c′': gatewaySettings({ TOKEN_STORE: redis.url }),
    f: gatewaySettings({ USER_CACHE_TTL }),
  };
  const gateway = (name: string, extra: Record<string, string>) =>
    startGateway(name, gatewayEnv(emulator.url, extra));
  const [a, b, bHttp, c, cRedis, d, e, f] = await Promise.all([
    bench('(a) yoga hello', 'bench/servers/hello.ts'),
    bench('(b) yoga forwarder', 'bench/servers/forward-yoga.ts', forwarderEnv),
    bench('(b′) http forwarder', 'bench/servers/forward-http.ts', forwarderEnv),
    gateway('(c) gateway', settings.c),
    gateway('(c′) gateway, Redis', settings['c′']),
    gateway('(d) gateway, users(100)', settings.c),
    gateway('(e) gateway, me', settings.c),
    gateway('(f) gateway, user cache', settings.f),
  ]);

  const service = { authorization: `Bearer ${SERVICE_KEY}` };
  const userInfo = followers.map((openid) => ({ body: graphql(USER_INFO, { openid }) }));
  const asService = userInfo.map((call) => ({ ...call, headers: service }));
  const userInfoAnswer = (i: number) => ({ data: { userInfo: record(i) } });
  const users: Call[] = [];
  for (let i = 0; i + USERS_PER_OPERATION <= followers.length; i += USERS_PER_OPERATION) {
    const openids = followers.slice(i, i + USERS_PER_OPERATION);
    users.push({ body: graphql(USERS, { openids }), headers: service });
  }
  const usersAnswer = (i: number) => ({
    data: { users: records.slice(i * USERS_PER_OPERATION, (i + 1) * USERS_PER_OPERATION) },
  });
  const tokens = await sessions(emulator, e.url, followers.slice(0, SESSIONS));
  const me = tokens.map((token) => ({
    body: graphql(ME),
    headers: { authorization: `Bearer ${token}` },
  }));
  const meAnswer = (i: number) => ({ data: { me: { openid: record(i).openid, user: record(i) } } });

  const row = (id: RowId, title: string, process: Started, settings = {}) => ({
    id,
    title,
    process,
    settings,
  });
  return [
    {
      ...row('a', 'bare yoga `{ hello }`', a),
      target: await target(a.url, [{ body: graphql('{ hello }') }], () => ({
        data: { hello: 'world' },
      })),
    },
    {
      ...row('b', 'yoga forwarder `userInfo` (20 lines)', b),
      target: await target(b.url, userInfo, userInfoAnswer),
    },
    {
      ...row('b′', 'node:http forwarder, no GraphQL', bHttp),
      target: await target(
        bHttp.url,
        followers.map((openid) => ({ body: JSON.stringify({ openid }) })),
        record,
      ),
    },
    {
      ...row('c', 'gateway `userInfo`, memory store', c, settings.c),
      target: await target(c.url, asService, userInfoAnswer),
    },
    {
      ...row('c′', 'gateway `userInfo`, Redis store', cRedis, settings['c′']),
      redis,
      target: await target(cRedis.url, asService, userInfoAnswer),
    },
    {
      ...row('d', `gateway \`users\`, ${USERS_PER_OPERATION} openids per operation`, d, settings.c),
      target: await target(d.url, users, usersAnswer),
    },
    {
      ...row('e', 'gateway `me` with a session token', e, settings.c),
      target: await target(e.url, me, meAnswer),
    },
    {
      ...row('f', 'gateway `userInfo`, user cache on', f, settings.f),
      target: await target(f.url, asService, userInfoAnswer),
    },
  ];
}
