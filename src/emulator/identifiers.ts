import { randomBytes } from 'node:crypto';
import { hash32, createPrng, type Prng } from './prng.js';

/** The characters WeChat uses in openids, unionids and tokens. */
export const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Real access tokens carry a numeric generation prefix (`63_…`, `86_…`). */
const TOKEN_GENERATION = '86';

function randomChars(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 64 and 62 symbols: the modulo bias on 256 is irrelevant for unguessable test secrets.
  for (const byte of bytes) out += alphabet.charAt(byte % alphabet.length);
  return out;
}

/** A cgi-bin access token, ~136 characters like the real ones. */
export function newAccessToken(): string {
  return `${TOKEN_GENERATION}_${randomChars(URL_SAFE_ALPHABET, 133)}`;
}

/** A web-OAuth (sns) access or refresh token. */
export function newOAuthToken(): string {
  return `${TOKEN_GENERATION}_${randomChars(URL_SAFE_ALPHABET, 104)}`;
}

/** Looks like something WeChat could have issued as an sns token (else WeChat says 40014). */
export function isWellFormedToken(value: string): boolean {
  return /^\d+_[A-Za-z0-9_-]{20,}$/.test(value);
}

/** OAuth codes and wx.login() codes: 32 alphanumerics, e.g. `061gJ6Ga1Pqs3H0kB4Ia1ZPMpq4gJ6Gz`. */
export function newCode(): string {
  return `0${randomChars(ALNUM, 31)}`;
}

/** A jsapi / wx_card ticket: 86 URL-safe characters. */
export function newTicket(): string {
  return randomChars(URL_SAFE_ALPHABET, 86);
}

/** base64 of 16 bytes, like the real session_key. */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64');
}

/**
 * openids of one app share their first characters in real life (`o6_bm…`); derive that prefix
 * from the appid so openids of different apps are visibly different.
 */
export function openidPrefix(appId: string): string {
  return `o${createPrng(hash32(`openid:${appId}`)).chars(URL_SAFE_ALPHABET, 5)}`;
}

/** 28 characters: the app prefix (6) and 22 seeded characters. */
export function newOpenid(prefix: string, prng: Prng): string {
  return prefix + prng.chars(URL_SAFE_ALPHABET, 22);
}

/** unionids are per Open Platform account, so all emulated apps share one prefix. */
export function newUnionid(prng: Prng): string {
  return `oUn1d${prng.chars(URL_SAFE_ALPHABET, 23)}`;
}

/** Accepted by the controls when a test names its own openid. */
export function isUsableOpenid(value: string): boolean {
  return /^[A-Za-z0-9_-]{6,64}$/.test(value);
}
