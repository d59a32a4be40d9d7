/** One cgi-bin access token as the emulator issued it. */
export interface IssuedToken {
  readonly value: string;
  readonly appId: string;
  /** ms since epoch; lowered by expireTokens(). */
  expiresAt: number;
}

/**
 * The tokens of one kind (legacy or stable) of one app: the current one and, during a
 * hand-over, the previous one with the instant its grace ends (wechat-api.md §1.3, §2.3).
 */
export interface TokenFamily {
  current: IssuedToken | undefined;
  previous: IssuedToken | undefined;
  previousUntil: number;
}

export type TokenVerdict = 'valid' | 40001 | 42001;

export function createTokenFamily(): TokenFamily {
  return { current: undefined, previous: undefined, previousUntil: 0 };
}

/** Make `next` current; the old current stays usable until `previousUntil` (0 = not at all). */
export function rotate(family: TokenFamily, next: IssuedToken, previousUntil: number): void {
  family.previous = family.current;
  family.previousUntil = family.previous ? previousUntil : 0;
  family.current = next;
}

/**
 * WeChat's answer for a presented token: current and unexpired, or previous within its grace,
 * is valid; anything past its own lifetime is 42001; a superseded one past its grace is 40001.
 */
export function verdict(family: TokenFamily, token: IssuedToken, now: number): TokenVerdict {
  if (now >= token.expiresAt) return 42001;
  if (token === family.current) return 'valid';
  if (token === family.previous && now < family.previousUntil) return 'valid';
  return 40001;
}
