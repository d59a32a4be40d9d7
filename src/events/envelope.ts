/**
 * The `Encrypt` field of an encrypted push (compatible or safe mode), found before anything in
 * the body is trusted: the body's other fields are not signed (msg_signature covers `Encrypt`
 * only), so they are not parsed at all. XML is scanned, not parsed (xml-scan.ts); JSON goes
 * through a plain JSON.parse. Both are linear in the body's length.
 */
import { detectFormat, MalformedPushError } from './parse.js';
import { PushRefusal } from './verify.js';
import { rootChildText } from './xml-scan.js';

/** The `Encrypt` text of `body`; '' when it has none. Throws PushRefusal for a body that is neither format. */
export function encryptFieldOf(body: string): string {
  let format;
  try {
    format = detectFormat(body);
  } catch (error) {
    if (error instanceof MalformedPushError) throw new PushRefusal(400, error.message);
    throw error;
  }
  if (format === 'json') {
    let outer: unknown;
    try {
      outer = JSON.parse(body);
    } catch {
      throw new PushRefusal(400, 'not valid JSON');
    }
    const encrypt =
      typeof outer === 'object' && outer !== null && !Array.isArray(outer)
        ? (outer as Record<string, unknown>)['Encrypt']
        : undefined;
    return typeof encrypt === 'string' ? encrypt : '';
  }
  const { result, value } = rootChildText(body, 'Encrypt');
  if (result === 'declaration') throw new PushRefusal(400, 'XML with a DOCTYPE');
  return value ?? '';
}
