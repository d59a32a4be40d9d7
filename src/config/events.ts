/**
 * The variables of server push (README, "Events"): each app's callback Token, EncodingAESKey
 * (the previous key too during a rotation) and callback mode, and how many events the log keeps.
 * config.ts reads the environment; the schemas and rules live here. Problems and warnings never
 * quote a token or key.
 */
import { z } from 'zod';
import { integer, trimmed } from './env-values.js';

/**
 * Which pushes the callback accepts (docs/events.md, "The three modes"): `safe` only encrypted
 * ones (`encrypt_type=aes` with a valid `msg_signature`; WeChat's compatible and safe mode send
 * those), `plain` only plaintext ones, `compat` both, for the time the WeChat console is being
 * switched from plaintext to an encrypted mode.
 */
export const CALLBACK_MODES = ['plain', 'compat', 'safe'] as const;
export type CallbackMode = (typeof CALLBACK_MODES)[number];

/** What one app's callback URL needs. */
export interface CallbackSettings {
  /** The console's Token: signs every push. */
  readonly token: string;
  /** EncodingAESKeys to decrypt with, current first (empty: plaintext mode only). */
  readonly aesKeys: readonly string[];
  /** Default: `safe` with an EncodingAESKey, `plain` without (see callbackMode). */
  readonly mode?: CallbackMode;
}

/** The mode `settings` run in: as configured, else `safe` with a key and `plain` without. */
export function callbackMode(settings: CallbackSettings): CallbackMode {
  return settings.mode ?? (settings.aesKeys.length > 0 ? 'safe' : 'plain');
}

/**
 * A Token shorter than this draws a warning. The Token is the only secret behind `signature`
 * (SHA-1 over Token, timestamp, nonce), and every signed URL (in a proxy's access log, or on the
 * wire with http on port 80) lets its Token be guessed offline: 16 random letters and digits are
 * about 95 bits, out of reach; 8 are about 48 bits, hours on one GPU.
 */
export const SHORT_TOKEN = 16;

export interface EventsConfig {
  /** Events kept per app in the log (`EVENTS_RETAIN`). */
  readonly retain: number;
  /** Live `wechatEvents` streams per key on an instance (`EVENTS_SUBSCRIPTIONS_PER_CALLER`). */
  readonly subscriptionsPerCaller?: number;
  /** By app name; an app without one has no callback URL. */
  readonly callbacks: Readonly<Record<string, CallbackSettings>>;
}

export const DEFAULT_EVENTS_RETAIN = 10_000;

const TOKEN_RULE = 'must be 3–32 letters or digits, as the WeChat console accepts';
const KEY_RULE = 'must be 43 letters or digits, as the WeChat console generates it';
const callbackToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{3,32}$/, TOKEN_RULE);
const aesKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, KEY_RULE);

const mode = z.enum(CALLBACK_MODES);

/** Extra fields of a WECHAT_APPS entry. */
export const callbackEntryShape = {
  callbackToken: callbackToken.optional(),
  encodingAesKey: aesKey.optional(),
  previousEncodingAesKey: aesKey.optional(),
  callbackMode: mode.optional(),
};

export interface CallbackEntry {
  readonly name: string;
  readonly callbackToken?: string;
  readonly encodingAesKey?: string;
  readonly previousEncodingAesKey?: string;
  readonly callbackMode?: CallbackMode;
}

export const eventsSchema = z.object({
  WECHAT_CALLBACK_TOKEN: trimmed(callbackToken),
  WECHAT_ENCODING_AES_KEY: trimmed(aesKey),
  WECHAT_PREVIOUS_ENCODING_AES_KEY: trimmed(aesKey),
  WECHAT_CALLBACK_MODE: trimmed(mode),
  EVENTS_RETAIN: integer(1, 1_000_000),
  EVENTS_SUBSCRIPTIONS_PER_CALLER: integer(1, 100_000),
});

type EventsVars = z.infer<typeof eventsSchema>;

/** `fallbackMode`: WECHAT_CALLBACK_MODE, for an entry that does not set its own. */
function settings(
  where: string,
  entry: Omit<CallbackEntry, 'name'>,
  fallbackMode: CallbackMode | undefined,
  problems: string[],
  warnings: string[],
): CallbackSettings | undefined {
  const { callbackToken: token, encodingAesKey, previousEncodingAesKey } = entry;
  if (token === undefined) {
    if (encodingAesKey !== undefined || previousEncodingAesKey !== undefined) {
      problems.push(`${where}: an EncodingAESKey needs the callback Token too`);
    }
    if (entry.callbackMode !== undefined) {
      problems.push(`${where}: a callback mode needs the callback Token too`);
    }
    return undefined;
  }
  if (previousEncodingAesKey !== undefined && encodingAesKey === undefined) {
    problems.push(`${where}: the previous EncodingAESKey needs the current one too`);
  }
  const aesKeys = [encodingAesKey, previousEncodingAesKey].filter(
    (key): key is string => key !== undefined,
  );
  const mode = callbackMode({ token, aesKeys, mode: entry.callbackMode ?? fallbackMode });
  if (mode !== 'plain' && aesKeys.length === 0) {
    problems.push(
      `${where}: callback mode ${mode} needs an EncodingAESKey (plain accepts plaintext pushes only)`,
    );
  }
  if (mode === 'plain' && aesKeys.length > 0) {
    warnings.push(
      `${where}: callback mode plain: encrypted pushes are refused and the EncodingAESKey is not used`,
    );
  }
  if (mode === 'compat') {
    warnings.push(
      `${where}: callback mode compat accepts plaintext pushes, whose body WeChat does not sign; keep it only while switching the console's mode, then use safe`,
    );
  }
  if (token.length < SHORT_TOKEN) {
    warnings.push(
      `${where}: the callback Token is shorter than ${SHORT_TOKEN} characters: anyone who sees one signed callback URL can guess it offline; use 32 random letters and digits`,
    );
  }
  return { token, aesKeys, mode };
}

/**
 * `singleApp`: the name of the app WECHAT_APP_ID configures, if any; `entries`: WECHAT_APPS.
 * In sandbox mode the sandbox makes up its own settings, and these variables are ignored.
 */
export function eventsConfig(
  vars: EventsVars,
  apps: { singleApp: string | undefined; entries: readonly CallbackEntry[]; sandbox: boolean },
  problems: string[],
  warnings: string[],
): EventsConfig {
  const callbacks: Record<string, CallbackSettings> = {};
  const single = {
    callbackToken: vars.WECHAT_CALLBACK_TOKEN,
    encodingAesKey: vars.WECHAT_ENCODING_AES_KEY,
    previousEncodingAesKey: vars.WECHAT_PREVIOUS_ENCODING_AES_KEY,
  };
  const singleSet = Object.values(single).some((value) => value !== undefined);
  const fallbackMode = vars.WECHAT_CALLBACK_MODE;
  if (apps.sandbox && fallbackMode !== undefined) {
    warnings.push(
      'WECHAT_CALLBACK_MODE is ignored in sandbox mode (the emulator pushes in safe mode)',
    );
  }
  if (apps.sandbox && singleSet) {
    warnings.push('WECHAT_CALLBACK_TOKEN and the EncodingAESKeys are ignored in sandbox mode');
  } else if (singleSet && apps.singleApp === undefined) {
    problems.push(
      'WECHAT_CALLBACK_TOKEN: serves the app of WECHAT_APP_ID, which is not set (in WECHAT_APPS give each app its own "callbackToken")',
    );
  } else if (apps.singleApp !== undefined) {
    const found = settings('WECHAT_CALLBACK_TOKEN', single, fallbackMode, problems, warnings);
    if (found) callbacks[apps.singleApp] = found;
  }
  for (const entry of apps.entries) {
    const where = `WECHAT_APPS "${entry.name}"`;
    const found = settings(where, entry, fallbackMode, problems, warnings);
    if (found) callbacks[entry.name] = found;
  }
  return {
    retain: vars.EVENTS_RETAIN ?? DEFAULT_EVENTS_RETAIN,
    ...(vars.EVENTS_SUBSCRIPTIONS_PER_CALLER === undefined
      ? {}
      : { subscriptionsPerCaller: vars.EVENTS_SUBSCRIPTIONS_PER_CALLER }),
    callbacks,
  };
}
