/** Argument checks shared by resolvers; each failure is a BAD_USER_INPUT a client can act on. */
import type { GatewayApp } from '../apps/gateway-apps.js';
import { badUserInput } from '../shared/graphql-errors.js';

// WeChat openids are URL-safe base64-like strings (28 characters today). A malformed one inside a
// batchget would fail the whole batch with 40003, so it is rejected before any upstream call.
const OPENID = /^[A-Za-z0-9_-]{1,128}$/;

export function assertOpenid(openid: string, argument: string): void {
  if (!OPENID.test(openid)) {
    throw badUserInput(
      `"${argument}" must be a WeChat openid: 1–128 letters, digits, "-" or "_" (got ${JSON.stringify(openid.slice(0, 40))}).`,
    );
  }
}

// Codes are secrets: the message never echoes one.
const CODE = /^[\x21-\x7e]{1,512}$/;

export function assertCode(code: string): void {
  if (!CODE.test(code)) {
    throw badUserInput('"code" must be the non-empty code WeChat issued, without spaces.');
  }
}

export function assertOfficialAccount(app: GatewayApp, field: string): void {
  if (app.kind !== 'official') {
    throw badUserInput(
      `"${field}" needs an official account, but app "${app.name}" is a mini program.`,
    );
  }
}

export function assertIntInRange(value: number, argument: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`"${argument}" must be between ${min} and ${max} (got ${value}).`);
  }
}
