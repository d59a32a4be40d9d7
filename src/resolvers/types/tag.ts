import type { TagResolvers, WechatUserResolvers } from '../../generated/graphql.js';
import { appOfUser } from '../../wechat/user-loader.js';

export const Tag: TagResolvers = {
  id: (tag) => tag.id,
  name: (tag) => tag.name,
  count: (tag) => tag.count,
};

/** Tag names come from the app's cached tag list: no upstream call per user. */
export const wechatUserTags: NonNullable<WechatUserResolvers['tags']> = (user, _args, context) => {
  const ids = user.tagid_list ?? [];
  if (ids.length === 0) return [];
  return context.apps.resolve(appOfUser(user)).apis.tagNames.tagsOf(ids);
};
