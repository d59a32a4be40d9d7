/**
 * Short-lived tokens for the scenarios whose rotation is refresh-ahead: the gateways run on real
 * time, so the emulator issues tokens that live 40 s instead of 7200 s and hands over 32 s
 * before their end instead of 300 s (stable normal mode returns a new token in a token's last
 * 32 s; a superseded legacy token works 32 s more, or until its own end). The gateways refresh
 * 30 s before expiry (TOKEN_REFRESH_AHEAD_SECONDS), minus up to a quarter of that as per-instance
 * jitter: each instance's window opens 10-17.5 s after the cold fetch, inside the emulator's
 * hand-over, and a token is served until 10 s before its expiry (30 s after the fetch).
 */
export const SHORT_TOKENS = { tokenLifetimeSeconds: 40, tokenHandoverSeconds: 32 } as const;
export const SHORT_REFRESH_AHEAD_SECONDS = 30;

/** From just before the cold fetch: every instance's refresh-ahead window opens between these. */
export const FIRST_WINDOW_MS = 10_000;
export const LAST_WINDOW_MS = 17_500;
/** From just before the cold fetch: the token is no longer served after this (10 s margin). */
export const SERVED_UNTIL_MS = 30_000;
