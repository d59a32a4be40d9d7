import { avatarPath } from './avatars.js';
import { createPrng, hash32, type Prng } from './prng.js';
import { newOpenid, newUnionid, openidPrefix } from './identifiers.js';

export type UserLanguage = 'zh_CN' | 'zh_TW' | 'en';

/** One WeChat user as one app sees them. */
export interface EmulatedUser {
  readonly openid: string;
  readonly subscribed: boolean;
  /** Present for users of apps bound to the (emulated) Open Platform account. */
  readonly unionid: string | undefined;
  readonly language: UserLanguage;
  /** Unix seconds of the last follow. */
  readonly subscribeTime: number;
  /** Changed by `user/info/updateremark`. */
  remark: string;
  /** Changed by `tags/members/batch(un)tagging` and `tags/delete`. */
  tagIds: number[];
  readonly subscribeScene: string;
  readonly qrScene: number;
  readonly qrSceneStr: string;
  /**
   * Only web OAuth (snsapi_userinfo) reveals these since 2021-12-27. Seeded nicknames are
   * distinct within an app (the consent page tells users apart by them); `headimgurl` is the
   * avatar's path on the emulator (avatars.ts), '' for none; `/sns/userinfo` makes it a URL.
   */
  readonly nickname: string;
  readonly headimgurl: string;
}

export interface SeededUsers {
  /** In user/get order (oldest follow first). */
  readonly followers: readonly EmulatedUser[];
  readonly unsubscribed: readonly EmulatedUser[];
}

const SCENES: readonly (readonly [string, number])[] = [
  ['ADD_SCENE_SEARCH', 25],
  ['ADD_SCENE_QR_CODE', 25],
  ['ADD_SCENE_PROFILE_CARD', 10],
  ['ADD_SCENE_WECHAT_ADVERTISEMENT', 7],
  ['ADD_SCENE_ACCOUNT_MIGRATION', 5],
  ['ADD_SCENE_PROFILE_LINK', 5],
  ['ADD_SCENE_PROFILE_ITEM', 5],
  ['ADD_SCENE_OTHERS', 5],
  ['ADD_SCENE_CHANNELS', 4],
  ['ADD_SCENE_PAID', 3],
  ['ADD_SCENE_REPRINT', 3],
  ['ADD_SCENE_LIVESTREAM', 3],
];
const SCENE_WEIGHT_TOTAL = SCENES.reduce((sum, [, weight]) => sum + weight, 0);

/** 2 is WeChat's built-in "starred" tag; custom tags start at 100. */
const TAG_IDS: readonly number[] = [2, 100, 101, 102, 103, 104];
const REMARKS: readonly string[] = ['VIP', '老客户', '渠道: 地推', 'beta tester', '合作伙伴'];
const NICKNAMES: readonly string[] = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄晓明',
  '周杰',
  '吴婷',
  'Alice',
  'Bob',
  'Carol',
  'Dave',
  '🌸小花',
  '阿强',
];
const FIRST_FOLLOW = Date.UTC(2016, 0, 1) / 1000;
const LAST_FOLLOW = Date.UTC(2025, 11, 31) / 1000;

function pickScene(prng: Prng): string {
  let roll = prng.next() * SCENE_WEIGHT_TOTAL;
  for (const [scene, weight] of SCENES) {
    roll -= weight;
    if (roll < 0) return scene;
  }
  return 'ADD_SCENE_OTHERS';
}

function pickLanguage(prng: Prng): UserLanguage {
  const roll = prng.next();
  if (roll < 0.8) return 'zh_CN';
  return roll < 0.9 ? 'zh_TW' : 'en';
}

/** A user's details; `subscribed` users get follow data, others only identity and profile. */
export function generateUser(prng: Prng, openid: string, subscribed: boolean): EmulatedUser {
  const unionid = prng.chance(0.6) ? newUnionid(prng) : undefined;
  const nickname = prng.pick(NICKNAMES);
  const headimgurl = prng.chance(0.9)
    ? avatarPath(prng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40))
    : '';
  if (!subscribed) {
    return {
      openid,
      subscribed,
      unionid,
      language: pickLanguage(prng),
      subscribeTime: 0,
      remark: '',
      tagIds: [],
      subscribeScene: '',
      qrScene: 0,
      qrSceneStr: '',
      nickname,
      headimgurl,
    };
  }
  const scene = pickScene(prng);
  const isQr = scene === 'ADD_SCENE_QR_CODE';
  return {
    openid,
    subscribed,
    unionid,
    language: pickLanguage(prng),
    subscribeTime: prng.int(FIRST_FOLLOW, LAST_FOLLOW),
    remark: prng.chance(0.2) ? prng.pick(REMARKS) : '',
    tagIds: TAG_IDS.filter(() => prng.chance(0.2)),
    subscribeScene: scene,
    qrScene: isQr ? prng.int(1, 100_000) : 0,
    qrSceneStr: isQr && prng.chance(0.3) ? `promo-${prng.int(1, 99)}` : '',
    nickname,
    headimgurl,
  };
}

/** A stream of random numbers for one purpose of one app, fixed by the emulator seed. */
export function appPrng(seed: number, appId: string, purpose: string): Prng {
  return createPrng(hash32(`${seed}:${appId}:${purpose}`));
}

/**
 * Nicknames made distinct in this order: the first user with a nickname keeps it, later ones get
 * a number after it (张伟, 张伟2, 张伟3…), as people do. No random draw: the rest of the seed stays.
 */
function distinctNicknames(users: readonly EmulatedUser[]): EmulatedUser[] {
  const seen = new Map<string, number>();
  return users.map((user) => {
    const count = (seen.get(user.nickname) ?? 0) + 1;
    seen.set(user.nickname, count);
    return count === 1 ? user : { ...user, nickname: `${user.nickname}${count}` };
  });
}

/**
 * The followers and ex-followers of one app. Depends only on (seed, appId, followers), so tests
 * can rely on the exact data across runs. Roughly one unsubscribed user per ten followers.
 */
export function seedUsers(seed: number, appId: string, followers: number): SeededUsers {
  const prng = appPrng(seed, appId, 'users');
  const prefix = openidPrefix(appId);
  const seen = new Set<string>();
  const uniqueOpenid = (): string => {
    let openid = newOpenid(prefix, prng);
    while (seen.has(openid)) openid = newOpenid(prefix, prng);
    seen.add(openid);
    return openid;
  };
  const subscribed: EmulatedUser[] = [];
  for (let i = 0; i < followers; i++) subscribed.push(generateUser(prng, uniqueOpenid(), true));
  subscribed.sort((a, b) => a.subscribeTime - b.subscribeTime);
  const unsubscribed: EmulatedUser[] = [];
  const unsubscribedCount = Math.ceil(followers / 10);
  for (let i = 0; i < unsubscribedCount; i++) {
    unsubscribed.push(generateUser(prng, uniqueOpenid(), false));
  }
  const distinct = distinctNicknames([...subscribed, ...unsubscribed]);
  return { followers: distinct.slice(0, followers), unsubscribed: distinct.slice(followers) };
}
