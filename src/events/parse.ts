/**
 * Push bodies to plain records: XML through fast-xml-parser, JSON with 64-bit ids kept exact.
 * Every leaf stays a string (a `MsgId` of 17 digits must not go through a double); repeated
 * elements become arrays. Anything that is not one well-formed object is refused, with a reason
 * that never quotes the body. What runs here before the parsers is linear in the body's length.
 */
import { XMLParser } from 'fast-xml-parser';
import { isRecord } from '../shared/json.js';
import { scanXml, type ScanMeter } from './xml-scan.js';

export type PushFields = Record<string, unknown>;
export type PushFormat = 'xml' | 'json';

export class MalformedPushError extends Error {}

/** Nesting deeper than this is no WeChat message (the deepest, mass-send results, is 4). */
const MAX_DEPTH = 8;

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // No entity expansion beyond XML's own five: a DOCTYPE is refused before this runs.
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
  // Markup only: `<!DOCTYPE html>` in a message's CDATA text is the user's, and fine.
  const scanned = scanXml(text, () => false);
  if (scanned === 'declaration') throw new MalformedPushError('XML with a DOCTYPE');
  if (scanned === 'unterminated') throw new MalformedPushError('not well-formed XML');
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** What may follow the integer digits of a JSON number: fraction, exponent. */
const isNumberTail = (code: number) =>
  code === 0x2e ||
  code === 0x65 ||
  code === 0x45 ||
  code === 0x2b ||
  code === MINUS ||
  isDigit(code);

/** Integers with this many digits or more may not survive a double (2^53 has 16). */
const LONG_INTEGER_DIGITS = 16;

/**
 * `text` with every integer of 16 digits or more quoted, strings left alone. One pass: each
 * character is looked at once (`meter` counts them), whatever the input (a regex here was
 * quadratic on runs of `\"` or of digits).
 */
export function quoteLongIntegers(text: string, meter?: ScanMeter): string {
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index += 1;
      while (index < length) {
        if (meter) meter.steps += 1;
        const inside = text.charCodeAt(index);
        index += inside === BACKSLASH ? 2 : 1;
        if (inside === QUOTE) break;
      }
    } else if (code === MINUS || isDigit(code)) {
      const start = index;
      if (code === MINUS) index += 1;
      const digitsStart = index;
      while (index < length && isDigit(text.charCodeAt(index))) {
        if (meter) meter.steps += 1;
        index += 1;
      }
      const digits = index - digitsStart;
      let integer = true;
      while (index < length && isNumberTail(text.charCodeAt(index))) {
        if (meter) meter.steps += 1;
        integer = false;
        index += 1;
      }
      if (integer && digits >= LONG_INTEGER_DIGITS) {
        parts.push(text.slice(copied, start), '"', text.slice(start, index), '"');
        copied = index;
      }
    } else {
      index += 1;
    }
    if (meter) meter.steps += 1;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * `JSON.parse` turns 17-digit ids into doubles (24000000000000001 → 24000000000000000), and a
 * reviver cannot get the digits back: integers of 16 digits or more are quoted first. Linear,
 * as JSON.parse is.
 */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
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
