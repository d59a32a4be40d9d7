/**
 * The variables of server push (README, "Events"): each app's callback Token and EncodingAESKey
 * (the previous key too during a rotation) and how many events the log keeps. config.ts reads the
 * environment; the schemas and rules live here. Problems never quote a token or key.
 */
import { z } from 'zod';
import { integer, trimmed } from './env-values.js';

/** What one app's callback URL needs. */
export interface CallbackSettings {
  /** The console's Token: signs every push. */
  readonly token: string;
  /** EncodingAESKeys to decrypt with, current first (empty: plaintext mode only). */
  readonly aesKeys: readonly string[];
}

export interface EventsConfig {
  /** Events kept per app in the log (`EVENTS_RETAIN`). */
  readonly retain: number;
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

/** Extra fields of a WECHAT_APPS entry. */
export const callbackEntryShape = {
  callbackToken: callbackToken.optional(),
  encodingAesKey: aesKey.optional(),
  previousEncodingAesKey: aesKey.optional(),
};

export type CallbackEntry = { name: string } & {
  [K in keyof typeof callbackEntryShape]?: string;
};

export const eventsSchema = z.object({
  WECHAT_CALLBACK_TOKEN: trimmed(callbackToken),
  WECHAT_ENCODING_AES_KEY: trimmed(aesKey),
  WECHAT_PREVIOUS_ENCODING_AES_KEY: trimmed(aesKey),
  EVENTS_RETAIN: integer(1, 1_000_000),
});

type EventsVars = z.infer<typeof eventsSchema>;

function settings(
  where: string,
  entry: Omit<CallbackEntry, 'name'>,
  problems: string[],
): CallbackSettings | undefined {
  const { callbackToken: token, encodingAesKey, previousEncodingAesKey } = entry;
  if (token === undefined) {
    if (encodingAesKey !== undefined || previousEncodingAesKey !== undefined) {
      problems.push(`${where}: an EncodingAESKey needs the callback Token too`);
    }
    return undefined;
  }
  if (previousEncodingAesKey !== undefined && encodingAesKey === undefined) {
    problems.push(`${where}: the previous EncodingAESKey needs the current one too`);
  }
  const aesKeys = [encodingAesKey, previousEncodingAesKey].filter(
    (key): key is string => key !== undefined,
  );
  return { token, aesKeys };
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
  if (apps.sandbox && singleSet) {
    warnings.push('WECHAT_CALLBACK_TOKEN and the EncodingAESKeys are ignored in sandbox mode');
  } else if (singleSet && apps.singleApp === undefined) {
    problems.push(
      'WECHAT_CALLBACK_TOKEN: serves the app of WECHAT_APP_ID, which is not set (in WECHAT_APPS give each app its own "callbackToken")',
    );
  } else if (apps.singleApp !== undefined) {
    const found = settings('WECHAT_CALLBACK_TOKEN', single, problems);
    if (found) callbacks[apps.singleApp] = found;
  }
  for (const entry of apps.entries) {
    const found = settings(`WECHAT_APPS "${entry.name}"`, entry, problems);
    if (found) callbacks[entry.name] = found;
  }
  return { retain: vars.EVENTS_RETAIN ?? DEFAULT_EVENTS_RETAIN, callbacks };
}
