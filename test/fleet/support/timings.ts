/**
 * Short-lived tokens for the scenarios whose rotation is refresh-ahead: the gateways run on real
 * time, so the emulator issues tokens that live 32 s instead of 7200 s and hands over 22 s
 * before their end instead of 300 s (stable normal mode returns a new token in a token's last
 * 22 s; a superseded legacy token works 22 s more, or until its own end). The gateways refresh
 * 22 s before expiry (TOKEN_REFRESH_AHEAD_SECONDS), minus up to a quarter of that as per-instance
 * jitter: each instance's window opens 10-15.5 s after the cold fetch, inside the emulator's
 * hand-over, and tokens are served until 10 s before expiry (22 s after the fetch).
 */
export const SHORT_TOKENS = { tokenLifetimeSeconds: 32, tokenHandoverSeconds: 22 } as const;
export const SHORT_REFRESH_AHEAD_SECONDS = 22;

/** From just before the cold fetch: every instance's refresh-ahead window lies between these. */
export const FIRST_WINDOW_MS = 10_000;
export const LAST_WINDOW_MS = 15_500;
/** From the cold fetch: the token is no longer served after this (the gateways' 10 s margin). */
export const SERVED_UNTIL_MS = 22_000;
