/**
 * The `data` of template and subscribe messages: `{"key": {"value": "…"}}`, checked as WeChat
 * does (47003 names the field). Subscribe messages follow the value rules of
 * wechat-api-more.md §3.1; template messages only need string values (long ones are truncated
 * for display, not refused, since 2023).
 */
import type { EmulatedTemplate, ValueType } from './catalogue.js';
import { isRecord } from './protocol.js';

const CJK = /^[\u3400-\u9fff]+$/;
const chars = (value: string): number => [...value].length;

// prettier-ignore
const RULES: Record<ValueType, (value: string) => boolean> = {
  thing: (v) => chars(v) <= 20,
  number: (v) => /^\d+(\.\d+)?$/.test(v) && v.replace('.', '').length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => chars(v) <= 5 && !/[A-Za-z0-9\u3400-\u9fff]/.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: (v) => /^(\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日? )?\d{1,2}:\d{2}(:\d{2})?( ?~ ?\d{1,2}:\d{2}(:\d{2})?)?$/.test(v) || /^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?( \d{1,2}:\d{2}(:\d{2})?)?$/.test(v),
  date: (v) => /^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?( \d{1,2}:\d{2}(:\d{2})?)?( ?~ ?.+)?$/.test(v),
  amount: (v) => /^[¥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  car_number: (v) => chars(v) <= 8 && chars(v) > 0,
  name: (v) => (CJK.test(v) ? chars(v) <= 10 : /^[A-Za-z .]{1,20}$/.test(v)),
  phrase: (v) => CJK.test(v) && chars(v) <= 5,
  keyword: () => true,
};

export type DataCheck = { ok: true; data: Record<string, string> } | { ok: false; errmsg: string };

const invalid = (key: string, why: string): DataCheck => ({
  ok: false,
  errmsg: `argument invalid! data.${key}.value ${why}`,
});

/** Reads `data`; `strict` (subscribe messages) also wants exactly the template's keys and rules. */
export function checkMessageData(
  raw: unknown,
  template: EmulatedTemplate,
  strict: boolean,
): DataCheck {
  if (!isRecord(raw)) return { ok: false, errmsg: 'argument invalid! data is not an object' };
  const data: Record<string, string> = {};
  for (const [key, entry] of Object.entries(raw)) {
    const value = isRecord(entry) ? entry.value : undefined;
    if (typeof value !== 'string') return invalid(key, 'is not a string');
    const type = template.keys[key];
    if (strict && type === undefined) return invalid(key, 'is not in the template');
    if (strict && type !== undefined && (value === '' || !RULES[type](value))) {
      return invalid(key, `does not fit ${type}`);
    }
    data[key] = value;
  }
  if (strict) {
    const missing = Object.keys(template.keys).find((key) => data[key] === undefined);
    if (missing !== undefined) return invalid(missing, 'is empty');
  }
  return { ok: true, data };
}
