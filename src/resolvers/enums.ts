/** GraphQL enum names ↔ WeChat's own spellings (the generated enum types are the GraphQL names). */
import type { Language, RefreshReason, TokenMode } from '../generated/graphql.js';
import type { RefreshReason as RawRefreshReason } from '../tokens/types.js';
import type { Lang, TokenMode as RawTokenMode } from '../wechat/types.js';

const LANGS: Record<Language, Lang> = { ZH_CN: 'zh_CN', ZH_TW: 'zh_TW', EN: 'en' };

/** An explicit `lang: null` from a client means WeChat's default, like an omitted argument. */
export const toLang = (language: Language | null | undefined): Lang => LANGS[language ?? 'ZH_CN'];

const TOKEN_MODES: Record<RawTokenMode, TokenMode> = { stable: 'STABLE', legacy: 'LEGACY' };

export const toTokenMode = (mode: RawTokenMode): TokenMode => TOKEN_MODES[mode];

const REFRESH_REASONS: Record<RawRefreshReason, RefreshReason> = {
  cold: 'COLD',
  ahead: 'AHEAD',
  rejected: 'REJECTED',
  forced: 'FORCED',
};

export const toRefreshReason = (reason: RawRefreshReason): RefreshReason => REFRESH_REASONS[reason];
