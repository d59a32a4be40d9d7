/** Checks shared by the message resolvers; each failure is a BAD_USER_INPUT a client can act on. */
import { badUserInput } from '../shared/graphql-errors.js';
import type { GatewayApp } from '../apps/gateway-apps.js';
import type { MassMessageInput, MessageDataItem } from '../generated/graphql.js';
import type { MassMessage, MassMessageType } from '../wechat/mass.js';
import type { MiniProgramLink } from '../wechat/messages.js';

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DATA_KEY = /^[A-Za-z0-9_]{1,64}$/;
const MAX_DATA_ITEMS = 50;
/** 32: WeChat documents 64 bytes but refused 34- and 36-character mass ids (COMM). */
export const MAX_CLIENT_MSG_ID = 32;

export function assertTemplateId(templateId: string): void {
  if (!TEMPLATE_ID.test(templateId)) {
    throw badUserInput('"templateId" must be a template id: letters, digits, "-" or "_".');
  }
}

export function dataItems(data: readonly MessageDataItem[]): { key: string; value: string }[] {
  if (data.length === 0 || data.length > MAX_DATA_ITEMS) {
    throw badUserInput(`"data" must hold 1 to ${MAX_DATA_ITEMS} items (got ${data.length}).`);
  }
  const seen = new Set<string>();
  for (const { key } of data) {
    if (!DATA_KEY.test(key)) {
      throw badUserInput(`"data" key ${JSON.stringify(key.slice(0, 40))} is not a template key.`);
    }
    if (seen.has(key)) throw badUserInput(`"data" names key "${key}" twice.`);
    seen.add(key);
  }
  return data.map(({ key, value }) => ({ key, value }));
}

export function clientMsgIdOf(
  value: string | null | undefined,
  required: boolean,
): string | undefined {
  if (value === null || value === undefined) {
    if (required) throw badUserInput('"clientMsgId" is required.');
    return undefined;
  }
  if (!/^[\x21-\x7e]+$/.test(value) || value.length > MAX_CLIENT_MSG_ID) {
    throw badUserInput(
      `"clientMsgId" must be 1 to ${MAX_CLIENT_MSG_ID} printable ASCII characters without spaces.`,
    );
  }
  return value;
}

export function webUrlOf(value: string | null | undefined, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw badUserInput(`"${argument}" must be an absolute http or https URL.`);
  }
  return value;
}

export function miniProgramLinkOf(
  value: { appId: string; pagePath: string } | null | undefined,
): MiniProgramLink | undefined {
  if (value === null || value === undefined) return undefined;
  if (!/^wx[A-Za-z0-9]{1,62}$/.test(value.appId)) {
    throw badUserInput('"miniProgram.appId" must be a mini program appId (wx…).');
  }
  if (value.pagePath === '' || value.pagePath.startsWith('/')) {
    throw badUserInput('"miniProgram.pagePath" must be a page path without a leading "/".');
  }
  return { appId: value.appId, pagePath: value.pagePath };
}

export function assertKind(app: GatewayApp, kind: GatewayApp['kind'], field: string): void {
  if (app.kind !== kind) {
    const needs = kind === 'official' ? 'an official account' : 'a mini program';
    const is = app.kind === 'official' ? 'an official account' : 'a mini program';
    throw badUserInput(`"${field}" needs ${needs}, but app "${app.name}" is ${is}.`);
  }
}

const MASS_TYPES: Record<MassMessageInput['type'], MassMessageType> = {
  TEXT: 'text',
  IMAGE: 'image',
  VOICE: 'voice',
  MPNEWS: 'mpnews',
  MPVIDEO: 'mpvideo',
};

export function massMessageOf(input: MassMessageInput): MassMessage {
  const type = MASS_TYPES[input.type];
  if (type === 'text') {
    if (!input.text) throw badUserInput('A TEXT message needs "text".');
    if (input.mediaId) throw badUserInput('A TEXT message takes "text", not "mediaId".');
    return { type, text: input.text };
  }
  if (!input.mediaId || !/^[\x21-\x7e]{1,128}$/.test(input.mediaId)) {
    throw badUserInput(`A ${input.type} message needs "mediaId" (an id from the media library).`);
  }
  if (input.text) throw badUserInput(`A ${input.type} message takes "mediaId", not "text".`);
  return { type, mediaId: input.mediaId };
}

/** 64-bit message ids as the decimal strings WeChat uses. */
export function assertMsgId(msgId: string): void {
  if (!/^\d{1,20}$/.test(msgId)) throw badUserInput('"msgId" must be a message id (digits).');
}
