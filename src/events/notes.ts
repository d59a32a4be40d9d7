/** What a user note must look like when it comes back from Redis (anything else is ignored). */
import type { UserNote } from './types.js';

export function isUserNote(value: unknown): value is UserNote {
  if (typeof value !== 'object' || value === null || !('app' in value)) return false;
  if (typeof value.app !== 'string') return false;
  if ('openids' in value && value.openids !== undefined) {
    if (!Array.isArray(value.openids) || !value.openids.every((o) => typeof o === 'string'))
      return false;
  }
  if ('tagId' in value && value.tagId !== undefined && typeof value.tagId !== 'number')
    return false;
  return true;
}
