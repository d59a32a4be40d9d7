import type { Clock } from '../shared/clock.js';

export type SentKind = 'template' | 'subscribe' | 'bizsend' | 'mass' | 'preview';

/** One message WeChat accepted, as a test or the sandbox view reads it. */
export interface SentMessage {
  /** 1, 2, 3… in the order they were accepted. */
  readonly seq: number;
  /** Epoch ms on the emulator's clock. */
  readonly at: number;
  readonly appId: string;
  readonly kind: SentKind;
  /** msgid / msg_id as a decimal string. */
  readonly msgId: string;
  /** The openids it went to (a mass send to a tag or to all: every follower it reached). */
  readonly to: readonly string[];
  readonly templateId?: string;
  readonly msgType?: string;
  /** The template data, key → value, or the text of a text message. */
  readonly data?: Readonly<Record<string, string>>;
  readonly clientMsgId?: string;
  readonly page?: string;
}

/** Every message the emulator delivered, oldest first. */
export interface SendLog {
  record(entry: Omit<SentMessage, 'seq' | 'at'>): SentMessage;
  list(appId?: string): readonly SentMessage[];
}

export function createSendLog(clock: Clock): SendLog {
  const entries: SentMessage[] = [];
  return {
    record(entry) {
      const sent = Object.freeze({ ...entry, seq: entries.length + 1, at: clock.now() });
      entries.push(sent);
      return sent;
    },
    list: (appId) =>
      appId === undefined ? [...entries] : entries.filter((entry) => entry.appId === appId),
  };
}
