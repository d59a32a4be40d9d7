/**
 * Follow and unfollow reach the user-change hook of every instance sharing the event backend,
 * whichever instance WeChat pushed to: the place where caches of user data drop that user.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pushMessages } from '../../src/emulator/push-messages.js';
import { createRedisEventBackend } from '../../src/events/redis-backend.js';
import { redisTarget } from '../../src/store/redis-target.js';
import type { UserChange } from '../../src/events/types.js';
import { startGateway, type Gateway } from '../support/harness.js';
import { REDIS_URL, useRedisNamespaces } from '../tokens/redis.js';
import { CALLBACK, postPush, postUntilHeard, pushHead } from './helpers.js';

const redis = useRedisNamespaces();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function instance(namespace: string, changes: UserChange[]): Promise<Gateway> {
  const backend = await createRedisEventBackend(redisTarget(REDIS_URL), { namespace, retain: 100 });
  const gw = await startGateway({
    events: {
      callbacks: { official: CALLBACK },
      backend,
      onUserChange: (change) => changes.push(change),
    },
  });
  closers.push(
    () => gw.close(),
    () => backend.close(),
  );
  return gw;
}

describe('the user-change hook', () => {
  it('hears follows and unfollows received by any instance, and nothing else', async () => {
    const namespace = redis.create('user-change');
    const heardByA: UserChange[] = [];
    const heardByB: UserChange[] = [];
    const a = await instance(namespace, heardByA);
    const b = await instance(namespace, heardByB);
    const head = (openid: string) => pushHead(a, openid);
    // The hook starts at the end of the log once subscribed: post until B hears the first one.
    await postUntilHeard(a, heardByB);
    heardByA.length = 0;
    heardByB.length = 0;
    await postPush(
      a.yoga.fetch,
      'http://a.test',
      a.clock.now(),
      pushMessages.follow(head('oNewFan'), { scene: '7', ticket: 't' }),
    );
    await postPush(
      b.yoga.fetch,
      'http://b.test',
      b.clock.now(),
      pushMessages.menuClick(head('oNewFan'), 'K'),
    );
    await postPush(
      b.yoga.fetch,
      'http://b.test',
      b.clock.now(),
      pushMessages.unfollow(head('oOldFan')),
    );
    const expected = [
      { app: 'official', openid: 'oNewFan', subscribed: true },
      { app: 'official', openid: 'oOldFan', subscribed: false },
    ];
    await expect
      .poll(() => heardByB.filter((c) => !c.openid.startsWith('oWarm')))
      .toEqual(expected);
    await expect
      .poll(() => heardByA.filter((c) => !c.openid.startsWith('oWarm')))
      .toEqual(expected);
  });
});
