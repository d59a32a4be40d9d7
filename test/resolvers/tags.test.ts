/**
 * Tags and remarks through yoga.fetch against the emulator: the tag list, members as a
 * connection, create/rename/delete with WeChat's limits, tagging in batches of 50, remarks, and
 * WechatUser.tags named through one cached tag list per app.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../support/time.js';
import {
  TAGS_BATCH_TAG_API,
  TAGS_CREATE_API,
  TAGS_DELETE_API,
  TAGS_GET_API,
} from '../support/wechat-api.js';
import { codesOf, useGateway, type Gateway } from '../support/harness.js';
import { follower } from '../support/operations.js';

type TagJson = { id: number; name: string; count: number };

const createTag = (gw: Gateway, name: string) =>
  gw.query<{ createTag: TagJson }>(
    `mutation ($n: String!) { createTag(name: $n) { id name count } }`,
    {
      variables: { n: name },
    },
  );

describe('tags', () => {
  const fx = useGateway();

  it('lists the tags with counts, and their members as a connection', async () => {
    const { gw } = fx;
    const res = await gw.query<{ tags: TagJson[] }>('{ tags { id name count } }');
    const vip = res.body.data?.tags.find((tag) => tag.name === 'VIP');
    expect(vip).toMatchObject({ id: 102, count: expect.any(Number) });
    const page = await gw.query<{
      usersByTag: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { openid: string; tags: TagJson[] }[];
      };
    }>(
      `{ usersByTag(tagId: 102, first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { openid tags { id name } } } }`,
    );
    const members = page.body.data?.usersByTag;
    expect(members?.totalCount).toBe(vip?.count);
    expect(members?.nodes).toHaveLength(3);
    expect(members?.pageInfo.hasNextPage).toBe(true);
    for (const node of members?.nodes ?? []) {
      expect(node.tags.map((tag) => tag.name)).toContain('VIP');
    }
    const next = await gw.query<{ usersByTag: { nodes: { openid: string }[] } }>(
      `query ($after: String) { usersByTag(tagId: 102, first: 3, after: $after) { nodes { openid } } }`,
      { variables: { after: members?.pageInfo.endCursor } },
    );
    const firstIds = members?.nodes.map((node) => node.openid) ?? [];
    for (const node of next.body.data?.usersByTag.nodes ?? []) {
      expect(firstIds).not.toContain(node.openid);
    }
  });

  it('create, tag, rename, untag, delete: WechatUser.tags follows, one tags/get per change', async () => {
    const { gw } = fx;
    const openid = follower(gw, 5);
    const created = await createTag(gw, '华东区');
    const tag = created.body.data?.createTag;
    expect(tag).toMatchObject({ name: '华东区', count: 0 });
    const tagged = await gw.query(
      `mutation ($t: Int!, $o: [String!]!) { tagUsers(tagId: $t, openids: $o) }`,
      {
        variables: { t: tag?.id, o: [openid] },
      },
    );
    expect(tagged.body.data).toEqual({ tagUsers: true });
    const USER = `query ($o: String!) { userInfo(openid: $o) { tagIds tags { id name } } }`;
    type User = { userInfo: { tagIds: number[]; tags: { id: number; name: string }[] } };
    const user = await gw.query<User>(USER, { variables: { o: openid } });
    expect(user.body.data?.userInfo.tags).toContainEqual({ id: tag?.id, name: '华东区' });
    gw.emulator.resetCalls();
    await gw.query<User>(USER, { variables: { o: openid } });
    expect(gw.emulator.calls(TAGS_GET_API)).toBe(0);
    const renamed = await gw.query(
      `mutation ($t: Int!) { renameTag(tagId: $t, name: "华东大区") { id name } }`,
      {
        variables: { t: tag?.id },
      },
    );
    expect(renamed.body.data).toEqual({ renameTag: { id: tag?.id, name: '华东大区' } });
    const afterRename = await gw.query<User>(USER, { variables: { o: openid } });
    expect(afterRename.body.data?.userInfo.tags).toContainEqual({ id: tag?.id, name: '华东大区' });
    await gw.query(`mutation ($t: Int!, $o: [String!]!) { untagUsers(tagId: $t, openids: $o) }`, {
      variables: { t: tag?.id, o: [openid] },
    });
    const deleted = await gw.query(`mutation ($t: Int!) { deleteTag(tagId: $t) }`, {
      variables: { t: tag?.id },
    });
    expect(deleted.body.data).toEqual({ deleteTag: true });
    const list = await gw.query<{ tags: TagJson[] }>('{ tags { id } }');
    expect(list.body.data?.tags.map((t) => t.id)).not.toContain(tag?.id);
  });

  it('the cached tag list: one tags/get for every user and request of a minute, then a new one', async () => {
    const { gw } = fx;
    const openids = [follower(gw, 0), follower(gw, 1)];
    await gw.query(`mutation ($o: [String!]!) { tagUsers(tagId: 100, openids: $o) }`, {
      variables: { o: openids },
    });
    gw.emulator.resetCalls();
    const USERS = `query ($o: [String!]!) { users(openids: $o) { tags { name } } }`;
    for (let i = 0; i < 3; i += 1) {
      const res = await gw.query<{ users: { tags: { name: string }[] }[] }>(USERS, {
        variables: { o: openids },
      });
      for (const user of res.body.data?.users ?? []) {
        expect(user.tags.map((tag) => tag.name)).toContain('北京');
      }
    }
    expect(gw.emulator.calls(TAGS_GET_API)).toBe(1);
    gw.clock.advance(61 * SECOND);
    await gw.query(USERS, { variables: { o: openids } });
    expect(gw.emulator.calls(TAGS_GET_API)).toBe(2);
  });

  it("WeChat's limits map to BAD_USER_INPUT", async () => {
    const { gw } = fx;
    const duplicate = await createTag(gw, 'VIP');
    expect(duplicate.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      wechat: { errcode: 45157 },
    });
    const system = await gw.query('mutation { deleteTag(tagId: 2) }');
    expect(system.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 45058 } });
    const unknown = await gw.query('mutation { renameTag(tagId: 999, name: "x") { id } }');
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 45159 } });
    const stranger = gw.emulator.unsubscribedOpenids(gw.official.appId)[0];
    const notFollowing = await gw.query(
      `mutation { tagUsers(tagId: 100, openids: ["${stranger}"]) }`,
    );
    expect(notFollowing.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 40003 } });
    // At most 100 custom tags: five are seeded.
    for (let i = 0; i < 95; i += 1) await createTag(gw, `t${i}`);
    const tooMany = await createTag(gw, 'one-too-many');
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ wechat: { errcode: 45056 } });
  });

  it('a user carries at most 20 tags (45059)', async () => {
    const { gw } = fx;
    const openid = follower(gw, 9);
    const ids: number[] = [];
    for (let i = 0; i < 21; i += 1)
      ids.push((await createTag(gw, `limit-${i}`)).body.data?.createTag.id ?? 0);
    let error: unknown;
    for (const id of ids) {
      const res = await gw.query(`mutation { tagUsers(tagId: ${id}, openids: ["${openid}"]) }`);
      error ??= res.body.errors?.[0]?.extensions;
    }
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', wechat: { errcode: 45059 } });
  });

  it('tags 120 followers in three calls of at most 50, one after another', async () => {
    const { gw } = fx;
    const openids = gw.emulator.followerOpenids(gw.official.appId).slice(0, 120);
    const res = await gw.query(`mutation ($o: [String!]!) { tagUsers(tagId: 104, openids: $o) }`, {
      variables: { o: openids },
    });
    expect(res.body.data).toEqual({ tagUsers: true });
    expect(gw.emulator.calls(TAGS_BATCH_TAG_API)).toBe(3);
  });

  it('a create whose answer was lost and is retried returns the tag the first attempt made', async () => {
    const { gw } = fx;
    await gw.official.tokens.getAccessToken();
    gw.emulator.dropResponseNext(TAGS_CREATE_API);
    const res = await createTag(gw, '重试标签');
    expect(res.body.errors).toBeUndefined();
    expect(gw.emulator.calls(TAGS_CREATE_API)).toBe(2);
    const list = await gw.query<{ tags: TagJson[] }>('{ tags { id name } }');
    expect(list.body.data?.tags.filter((t) => t.name === '重试标签')).toEqual([
      { id: res.body.data?.createTag.id, name: '重试标签' },
    ]);
  });

  it('a delete whose answer was lost and is retried is done', async () => {
    const { gw } = fx;
    await gw.official.tokens.getAccessToken();
    gw.emulator.dropResponseNext(TAGS_DELETE_API);
    const res = await gw.query('mutation { deleteTag(tagId: 101) }');
    expect(res.body.data).toEqual({ deleteTag: true });
    expect(gw.emulator.calls(TAGS_DELETE_API)).toBe(2);
  });

  it('setUserRemark: shown by userInfo; more than 30 bytes refused', async () => {
    const { gw } = fx;
    const openid = follower(gw, 3);
    const ok = await gw.query(
      `mutation { setUserRemark(openid: "${openid}", remark: "老客户-华东") }`,
    );
    expect(ok.body.data).toEqual({ setUserRemark: true });
    const user = await gw.query<{ userInfo: { remark: string } }>(
      `{ userInfo(openid: "${openid}") { remark } }`,
    );
    expect(user.body.data?.userInfo.remark).toBe('老客户-华东');
    const long = await gw.query(
      `mutation { setUserRemark(openid: "${openid}", remark: "一二三四五六七八九十十") }`,
    );
    expect(codesOf(long.body)).toEqual(['BAD_USER_INPUT']);
  });
});
