/**
 * One pass over XML markup, linear in the length of the text, that never looks inside CDATA
 * sections, comments or processing instructions: what the push parser uses to refuse DTDs
 * (a genuine message may well mention `<!DOCTYPE html>` inside its CDATA text) and to find the
 * `Encrypt` element of an encrypted push before anything else is parsed.
 */

/** Counts the characters examined, for the tests that prove the scan linear. */
export interface ScanMeter {
  steps: number;
}

export type XmlScanResult =
  /** The end of the text was reached, or a visitor stopped the scan. */
  | 'done'
  /** A markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, …): never in a push. */
  | 'declaration'
  /** A CDATA section, comment or processing instruction that does not end. */
  | 'unterminated';

export interface XmlTag {
  readonly name: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  /** Index of its `<`. */
  readonly start: number;
  /** Index after its `>`. */
  readonly end: number;
}

const CDATA_OPEN = '<![CDATA[';

/** Skipped whole: the text between `open` and `close` is not markup. */
const OPAQUE: readonly (readonly [open: string, close: string])[] = [
  [CDATA_OPEN, ']]>'],
  ['<!--', '-->'],
  ['<?', '?>'],
];

const isNameEnd = (char: string) =>
  char === '>' || char === '/' || char === ' ' || char === '\t' || char === '\n' || char === '\r';

/**
 * Walks the tags of `text` in order; `visit` returns true to stop. Every character is examined
 * at most once (each search starts where the previous one ended), so the cost is O(length).
 * A tag cut short by another `<` is not reported (it is not well-formed; the parser refuses it).
 */
export function scanXml(
  text: string,
  visit: (tag: XmlTag) => boolean | void,
  meter?: ScanMeter,
): XmlScanResult {
  const count = (from: number, to: number) => {
    if (meter) meter.steps += Math.max(1, to - from);
  };
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    count(at, open < 0 ? text.length : open);
    if (open < 0) return 'done';
    const opaque = OPAQUE.find(([prefix]) => text.startsWith(prefix, open));
    if (opaque) {
      const [prefix, suffix] = opaque;
      const close = text.indexOf(suffix, open + prefix.length);
      count(open, close < 0 ? text.length : close);
      if (close < 0) return 'unterminated';
      at = close + suffix.length;
      continue;
    }
    if (text.startsWith('<!', open)) return 'declaration';
    let index = open + 1;
    const closing = text[index] === '/';
    if (closing) index += 1;
    const nameStart = index;
    while (index < text.length && !isNameEnd(text[index] ?? '>') && text[index] !== '<') index++;
    const name = text.slice(nameStart, index);
    // Up to the `>` outside quoted attribute values. A `<` ends it early even inside quotes (XML
    // allows none there), so that no DTD hides in an attribute value.
    let quote = '';
    for (; index < text.length; index++) {
      const char = text[index];
      if (char === '<') break;
      if (quote !== '') {
        if (char === quote) quote = '';
      } else if (char === '"' || char === "'") {
        quote = char;
      } else if (char === '>') {
        break;
      }
    }
    count(open, index);
    if (index >= text.length) return 'done';
    if (text[index] === '<') {
      at = index;
      continue;
    }
    const tag: XmlTag = {
      name,
      closing,
      selfClosing: !closing && text[index - 1] === '/',
      start: open,
      end: index + 1,
    };
    if (visit(tag) === true) return 'done';
    at = index + 1;
  }
}

/**
 * The text of the first element `name` directly inside the root element (a CDATA wrapper taken
 * off, trimmed; undefined when there is none): how an encrypted push's `Encrypt` is found without
 * parsing the body, whose other fields (compatible mode) only the decrypted copy is trusted for.
 * The scan stops there: `result` is 'declaration' or 'unterminated' only for markup before it.
 */
export function rootChildText(
  text: string,
  name: string,
  meter?: ScanMeter,
): { result: XmlScanResult; value: string | undefined } {
  let depth = 0;
  let contentStart: number | undefined;
  let found: string | undefined;
  const result = scanXml(
    text,
    (tag) => {
      if (tag.selfClosing) return false;
      if (!tag.closing) {
        depth += 1;
        if (depth === 2 && tag.name === name) contentStart = tag.end;
        return false;
      }
      if (depth === 2 && tag.name === name && contentStart !== undefined) {
        found = text.slice(contentStart, tag.start);
        return true;
      }
      depth -= 1;
      return false;
    },
    meter,
  );
  if (found === undefined) return { result, value: undefined };
  const trimmed = found.trim();
  const value =
    trimmed.startsWith(CDATA_OPEN) && trimmed.endsWith(']]>')
      ? trimmed.slice(CDATA_OPEN.length, -3).trim()
      : trimmed;
  return { result, value };
}
