/** The README's errcode and retry-safety tables say what the code's tables say, row for row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/wechat/endpoints.js';
import { ERRCODES } from '../../src/wechat/errcodes.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`### ${title}\n`);
  expect(start, title).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start);
  return README.slice(start, end);
}

const cells = (row: string) => row.split('|').map((cell) => cell.trim());

describe('README tables', () => {
  it('has one row per errcode with its code, effect and action', () => {
    const rows = section('Every errcode')
      .split('\n')
      .filter((line) => /^\| -?\d+ /.test(line))
      .map(cells);
    expect(rows.map((row) => Number(row[1]))).toEqual([...ERRCODES.keys()].sort((a, b) => a - b));
    for (const row of rows) {
      const rule = ERRCODES.get(Number(row[1]));
      expect([row[3], row[5], row[6]]).toEqual([`\`${rule?.code}\``, rule?.effect, rule?.action]);
    }
  });

  it('has one retry-safety row per upstream endpoint, with its repeat', () => {
    const rows = section('Retry safety')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map(cells);
    expect(rows.map((row) => row[1])).toEqual(ENDPOINTS.map((e) => `\`${e.method} ${e.path}\``));
    rows.forEach((row, index) => {
      // The cell starts with the endpoint's repeat: read, idempotent, send, single-use, token.
      expect(row[2]?.replace(/\*/g, '')).toMatch(new RegExp(`^${ENDPOINTS[index]?.repeat}\\b`));
    });
  });
});
