/**
 * How long the codes a WeChat client hands out live, in one place: the emulator's code stores
 * expire them after this, and the emulator's controls and the sandbox's helpers tell callers the
 * same number (`expiresInSeconds`). WeChat gives each of them 5 minutes (docs/wechat-api.md §6.1,
 * §7; wechat-api-more.md §7).
 */
const FIVE_MINUTES_MS = 5 * 60_000;

export const CODE_LIFETIMES_MS = {
  /** A web-OAuth `code` (`/connect/oauth2/authorize` → `/sns/oauth2/access_token`). */
  oauth: FIVE_MINUTES_MS,
  /** A mini program's `wx.login()` code (→ `/sns/jscode2session`). */
  js: FIVE_MINUTES_MS,
  /** A phone-number button's code (→ `/wxa/business/getuserphonenumber`). */
  phone: FIVE_MINUTES_MS,
} as const;

export type CodeKind = keyof typeof CODE_LIFETIMES_MS;

/** The lifetime as callers are told it: whole seconds. */
export function codeLifetimeSeconds(kind: CodeKind): number {
  return CODE_LIFETIMES_MS[kind] / 1000;
}
