import type { WechatUserResolvers } from '../../generated/graphql.js';
import { wechatUserTags } from './tag.js';

// WeChat sends "" and 0 for unset values; the schema says null.
export const WechatUser: WechatUserResolvers = {
  openid: (user) => user.openid,
  subscribed: (user) => user.subscribe === 1,
  unionid: (user) => user.unionid || null,
  language: (user) => user.language || null,
  subscribedAt: (user) =>
    user.subscribe === 1 && user.subscribe_time ? new Date(user.subscribe_time * 1000) : null,
  remark: (user) => user.remark || null,
  tagIds: (user) => user.tagid_list ?? [],
  subscribeScene: (user) => user.subscribe_scene || null,
  qrScene: (user) => user.qr_scene || null,
  qrSceneStr: (user) => user.qr_scene_str || null,
  tags: wechatUserTags,
};
