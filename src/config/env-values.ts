/**
 * Building blocks of the configuration schemas: an unset or blank variable is undefined, never an
 * error, and a set one is checked trimmed.
 */
import { z } from 'zod';

/** `schema` checks the trimmed value; unset or blank is undefined. */
export function trimmed<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    schema.optional(),
  );
}

export const optionalString = trimmed(z.string());

const TRUE_WORDS: readonly string[] = ['true', '1', 'yes', 'on'];
export const flag = trimmed(
  z
    .string()
    .toLowerCase()
    .pipe(
      z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
        errorMap: () => ({ message: 'must be true or false' }),
      }),
    )
    .transform((value) => TRUE_WORDS.includes(value)),
);

export const integer = (min: number, max: number, minMessage = `must be at least ${min}`) =>
  trimmed(
    z.coerce
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, minMessage)
      .max(max, `must be at most ${max}`),
  );
