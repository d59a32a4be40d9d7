/** Follower cursors: opaque to clients, the openid `/cgi-bin/user/get` continues after. */
import { badUserInput } from '../shared/graphql-errors.js';

const PREFIX = 'follower:';

export function encodeFollowerCursor(openid: string): string {
  return Buffer.from(PREFIX + openid, 'utf8').toString('base64url');
}

export function decodeFollowerCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const openid = decoded.startsWith(PREFIX) ? decoded.slice(PREFIX.length) : '';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(openid) || encodeFollowerCursor(openid) !== cursor) {
    throw badUserInput('"after" is not a cursor returned by "followers".');
  }
  return openid;
}
