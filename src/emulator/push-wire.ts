/**
 * A push as WeChat puts it on the wire (wechat-api-more.md §1.2): the signed query string and the
 * body in plaintext, compatible or safe mode, as XML (CDATA text, as WeChat writes it) or JSON.
 */
import { randomBytes } from 'node:crypto';
import { encryptMessage, wechatSignature } from '../events/crypto.js';

export type PushMode = 'plaintext' | 'compatible' | 'safe';
export type PushBodyFormat = 'xml' | 'json';

/** A push's fields: strings and numbers, lists and objects for the nested subscribe events. */
export type PushMessage = Record<string, unknown>;

export interface PushCredentials {
  token: string;
  /** Needed for compatible and safe mode. */
  encodingAesKey?: string;
  appId: string;
}

export interface PushOptions {
  mode: PushMode;
  format: PushBodyFormat;
  /** Unix seconds of the request (WeChat's clock). */
  timestamp: number;
  nonce?: string;
}

export interface PushRequest {
  /** Query string, without `?`. */
  query: string;
  body: string;
  contentType: string;
}

const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

function xmlValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(xmlValue).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, item]) =>
        Array.isArray(item)
          ? item.map((entry) => `<${key}>${xmlValue(entry)}</${key}>`).join('')
          : `<${key}>${xmlValue(item)}</${key}>`,
      )
      .join('');
  }
  return typeof value === 'number' ? String(value) : cdata(String(value ?? ''));
}

export function toXml(message: PushMessage): string {
  return `<xml>${xmlValue(message)}</xml>`;
}

function serialize(message: PushMessage, format: PushBodyFormat): string {
  return format === 'xml' ? toXml(message) : JSON.stringify(message);
}

export function buildPush(
  message: PushMessage,
  credentials: PushCredentials,
  options: PushOptions,
): PushRequest {
  const timestamp = String(options.timestamp);
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE());
  const { token } = credentials;
  const query = new URLSearchParams({
    signature: wechatSignature(token, timestamp, nonce),
    timestamp,
    nonce,
  });
  const plain = serialize(message, options.format);
  const contentType = options.format === 'xml' ? 'text/xml' : 'application/json';
  if (typeof message['FromUserName'] === 'string') query.set('openid', message['FromUserName']);
  if (options.mode === 'plaintext') return { query: query.toString(), body: plain, contentType };
  if (credentials.encodingAesKey === undefined) {
    throw new RangeError(`${options.mode} mode needs an EncodingAESKey`);
  }
  const encrypt = encryptMessage(plain, credentials.encodingAesKey, credentials.appId);
  query.set('encrypt_type', 'aes');
  query.set('msg_signature', wechatSignature(token, timestamp, nonce, encrypt));
  const outer: PushMessage =
    options.mode === 'safe'
      ? { ToUserName: message['ToUserName'] ?? '', Encrypt: encrypt }
      : { ...message, Encrypt: encrypt };
  return { query: query.toString(), body: serialize(outer, options.format), contentType };
}
