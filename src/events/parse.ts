/**
 * Push bodies to plain records: XML through fast-xml-parser, JSON with 64-bit ids kept exact.
 * Every leaf stays a string (a `MsgId` of 17 digits must not go through a double); repeated
 * elements become arrays. Anything that is not one well-formed object is refused.
 */
import { XMLParser } from 'fast-xml-parser';

export type PushFields = Record<string, unknown>;
export type PushFormat = 'xml' | 'json';

export class MalformedPushError extends Error {}

/** Nesting deeper than this is no WeChat message (the deepest, mass-send results, is 4). */
const MAX_DEPTH = 8;

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // No entity expansion beyond XML's own five: a push never needs a DOCTYPE.
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH + 2,
});

function depth(value: unknown, level = 0): number {
  if (level > MAX_DEPTH) return level;
  if (Array.isArray(value)) return Math.max(level, ...value.map((item) => depth(item, level + 1)));
  if (typeof value === 'object' && value !== null) {
    return Math.max(level, ...Object.values(value).map((item) => depth(item, level + 1)));
  }
  return level;
}

function isRecord(value: unknown): value is PushFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaves as strings (numbers and booleans of JSON too), so both formats look alike. */
function stringLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringLeaves);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, stringLeaves(item)]),
    );
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

function parseXml(text: string): PushFields {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new MalformedPushError('XML with a DOCTYPE');
  let parsed: unknown;
  try {
    // `true`: validate while parsing; an error is thrown for XML that is not well-formed.
    parsed = xmlParser.parse(text, true);
  } catch {
    throw new MalformedPushError('not well-formed XML');
  }
  const root = isRecord(parsed) ? parsed['xml'] : undefined;
  if (!isRecord(root)) throw new MalformedPushError('no <xml> root element');
  return root;
}

/**
 * `JSON.parse` turns 17-digit ids into doubles (24000000000000001 → 24000000000000000), and a
 * reviver cannot get the digits back: integers of 16 digits or more are quoted first. Strings
 * are matched first, so digits inside them are left alone.
 */
export function parseJsonKeepingIds(text: string): unknown {
  const quoted = text.replace(/"(?:[^"\\]|\\.)*"|-?\d{16,}(?![.eE\d])/g, (match) =>
    match.startsWith('"') ? match : `"${match}"`,
  );
  return JSON.parse(quoted);
}

function parseJson(text: string): PushFields {
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingIds(text);
  } catch {
    throw new MalformedPushError('not valid JSON');
  }
  if (!isRecord(parsed)) throw new MalformedPushError('the JSON body is not an object');
  return parsed;
}

/** XML when it starts with `<`, JSON when it starts with `{`. */
export function detectFormat(text: string): PushFormat {
  const first = text.trimStart()[0];
  if (first === '<') return 'xml';
  if (first === '{') return 'json';
  throw new MalformedPushError('the body is neither XML nor JSON');
}

/** Parses one push body (or a decrypted message) into its fields, leaves as strings. */
export function parsePush(text: string, format: PushFormat = detectFormat(text)): PushFields {
  const fields = format === 'xml' ? parseXml(text) : parseJson(text);
  if (depth(fields) > MAX_DEPTH) throw new MalformedPushError('nested too deeply');
  const normalized = stringLeaves(fields);
  if (!isRecord(normalized)) throw new MalformedPushError('not an object');
  return normalized;
}
