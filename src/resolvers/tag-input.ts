/** Checks shared by the tag resolvers. */
import { badUserInput } from '../shared/graphql-errors.js';
import { assertOpenid } from './input.js';

/** Per field: ten batch calls of 50 at most. */
export const MAX_TAG_OPENIDS = 500;

export function assertTagName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (name.trim() === '' || bytes > 30) {
    throw badUserInput(`"name" must be 1 to 30 bytes (10 Chinese characters); got ${bytes} bytes.`);
  }
}

export function assertTagId(tagId: number): void {
  if (!Number.isInteger(tagId) || tagId < 0) throw badUserInput('"tagId" must be a tag id.');
}

export function assertTagOpenids(openids: readonly string[]): void {
  if (openids.length === 0 || openids.length > MAX_TAG_OPENIDS) {
    throw badUserInput(
      `"openids" must hold 1 to ${MAX_TAG_OPENIDS} openids (got ${openids.length}).`,
    );
  }
  openids.forEach((openid, index) => assertOpenid(openid, `openids[${index}]`));
}
