/**
 * A remark or tag mutation on one instance drops the users concerned from the user cache of
 * every instance sharing the event backend (Redis pub/sub), not only its own. Each instance here
 * has its own emulator (same seed), so an instance's look-up cost is counted on its own emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisEventBackend } from '../../src/events/redis-backend.js';
import { redisTarget } from '../../src/store/redis-target.js';
import { startGateway, type Gateway } from '../support/harness.js';
import { MINUTE } from '../support/time.js';
import { BATCHGET_API } from '../support/wechat-api.js';
import { REDIS_URL, useRedisNamespaces } from '../tokens/redis.js';

/** Generous: on a loaded machine a published message may take a while to arrive. */
const POLL = { timeout: 10_000, interval: 20 };

const redis = useRedisNamespaces();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function instance(namespace: string): Promise<Gateway> {
  const backend = await createRedisEventBackend(redisTarget(REDIS_URL), { namespace, retain: 100 });
  const gw = await startGateway({
    events: { callbacks: {}, backend },
    users: { cache: { ttlMs: 10 * MINUTE, maxEntries: 100 } },
  });
  closers.push(
    () => gw.close(),
    () => backend.close(),
  );
  return gw;
}

/** The batchget calls one look-up of `openid` costs on this instance. */
async function costOf(gw: Gateway, openid: string): Promise<number> {
  const before = gw.emulator.calls(BATCHGET_API);
  const res = await gw.query('query ($o: String!) { userInfo(openid: $o) { openid } }', {
    variables: { o: openid },
  });
  expect(res.body.errors).toBeUndefined();
  return gw.emulator.calls(BATCHGET_API) - before;
}

async function mutate(gw: Gateway, mutation: string, variables: Record<string, unknown>) {
  const res = await gw.query(mutation, { variables });
  expect(res.body.errors).toBeUndefined();
}

const REMARK = 'mutation ($o: String!, $r: String!) { setUserRemark(openid: $o, remark: $r) }';

/** Looks up on `gw` until one look-up reaches WeChat again; each one before that costs nothing. */
async function expectDropped(gw: Gateway, openid: string): Promise<void> {
  let calls = 0;
  await expect
    .poll(async () => {
      calls += await costOf(gw, openid);
      return calls;
    })
    .toBe(1);
}

describe('user notes across instances', () => {
  it('drops users changed by a mutation on another instance', async () => {
    const namespace = redis.create('user-notes');
    const a = await instance(namespace);
    const b = await instance(namespace);
    const followers = b.emulator.followerOpenids(b.official.appId);
    const [warm = '', remarked = '', tagged = ''] = followers;

    // B subscribes in the background: A changes a warm-up user until B has dropped it once.
    expect(await costOf(b, warm)).toBe(1);
    await expect
      .poll(async () => {
        await mutate(a, REMARK, { o: warm, r: 'warm' });
        return costOf(b, warm);
      }, POLL)
      .toBe(1);

    for (const openid of [remarked, tagged]) {
      expect(await costOf(b, openid)).toBe(1);
      expect(await costOf(b, openid)).toBe(0);
    }
    await mutate(a, REMARK, { o: remarked, r: 'fleet' });
    await expectDropped(b, remarked);

    const created = await a.query<{ createTag: { id: number } }>(
      'mutation { createTag(name: "fleet") { id } }',
    );
    await mutate(a, 'mutation ($t: Int!, $o: [String!]!) { tagUsers(tagId: $t, openids: $o) }', {
      t: created.body.data?.createTag.id,
      o: [tagged],
    });
    await expectDropped(b, tagged);
    // The one left alone stays cached.
    expect(await costOf(b, remarked)).toBe(0);
  });
});
