/**
 * No function in src/ over 100 lines, counting its closures (a factory's whole span): past that a
 * function does several jobs, and the next change lands in the middle of them. Split by
 * responsibility into named helpers. Generated code is not counted.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { longFunctions } from './function-length.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('function length in src/', () => {
  it('has no function over 100 lines, closures included', () => {
    expect(longFunctions(SRC, 100)).toEqual([]);
  });

  it('measures what it claims: a 101-line function is reported', () => {
    const long = longFunctions(fileURLToPath(new URL('./fixtures/', import.meta.url)), 100);
    expect(long.map(({ name, lines }) => ({ name, lines }))).toEqual([
      { name: 'tooLong', lines: 101 },
    ]);
  });
});
