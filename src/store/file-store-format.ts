import { isCell, type Cell } from './cell-store.js';
import { isRecord, parseJsonObject } from '../shared/json.js';

/**
 * The token store file: one JSON object, rewritten whole (temporary file + rename) on every
 * change. `format` and `version` let a reader tell a store file from anything else.
 */
const FORMAT = 'wgg-token-store';
const VERSION = 1;

export type CellMap = Map<string, Cell>;

export type ParsedStoreFile =
  | { readonly ok: true; readonly cells: CellMap }
  /** Why the file cannot be used; never quotes the content (it holds tokens). */
  | { readonly ok: false; readonly problem: string };

/**
 * The cells in a store file. Besides its own format it reads the keyv-file layout earlier
 * versions wrote (`{"cache":[[key,{"value":"<keyv JSON>"}]]}`), so an upgrade keeps the cached
 * tokens instead of spending a token call. A cell that cannot be read is skipped: this is a
 * cache, and the next refresh writes it again.
 */
export function parseStoreFile(text: string): ParsedStoreFile {
  if (text.trim() === '') return { ok: false, problem: 'empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON (an interrupted or foreign write?)' };
  }
  if (isRecord(parsed) && parsed['format'] === FORMAT) {
    if (parsed['version'] !== VERSION) {
      return { ok: false, problem: `written in an unknown version (${String(parsed['version'])})` };
    }
    return { ok: true, cells: ownCells(parsed['cells']) };
  }
  if (isRecord(parsed) && Array.isArray(parsed['cache'])) {
    return { ok: true, cells: keyvFileCells(parsed['cache']) };
  }
  return { ok: false, problem: 'valid JSON but not a token store file' };
}

function ownCells(raw: unknown): CellMap {
  const cells: CellMap = new Map();
  if (!isRecord(raw)) return cells;
  for (const [key, cell] of Object.entries(raw)) {
    if (isCell(cell)) cells.set(key, { v: cell.v, exp: cell.exp });
  }
  return cells;
}

/** keyv-file: `[key, { value: JSON.stringify({ value: cell, expires? }), expire? }]`. */
function keyvFileCells(cache: unknown[]): CellMap {
  const cells: CellMap = new Map();
  for (const entry of cache) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isRecord(entry[1])) continue;
    const serialized = entry[1]['value'];
    if (typeof serialized !== 'string') continue;
    const cell = parseJsonObject(serialized)?.['value'];
    if (isCell(cell)) cells.set(entry[0], { v: cell.v, exp: cell.exp });
  }
  return cells;
}

/** The file's new content; cells already expired at `now` are left out. */
export function serializeStoreFile(cells: CellMap, now: number): string {
  const live: Record<string, Cell> = {};
  for (const [key, cell] of cells) {
    if (cell.exp === null || cell.exp > now) live[key] = cell;
  }
  return `${JSON.stringify({ format: FORMAT, version: VERSION, cells: live })}\n`;
}
