/**
 * `POST /wxa/business/getuserphonenumber` (§7): codes from `<button open-type="getPhoneNumber">`,
 * single-use and valid 5 minutes. A used, expired, unknown or other app's code is 40029 (WeChat's
 * answer for a reused code is unconfirmed; 40163 is not documented here); so is a code whose
 * user is not the `openid` sent with it.
 */
import type { Clock } from '../shared/clock.js';
import { CODE_LIFETIMES_MS } from './code-lifetimes.js';
import { createCodeStore } from './codes.js';
import { fail, ok, parseJsonObject, type Route } from './protocol.js';
import type { EmulatorAppRegistry } from './registry.js';
import type { TokenGuard } from './token-guard.js';

export interface PhoneGrant {
  readonly openid: string;
  /** Digits without country code. */
  readonly purePhoneNumber: string;
  readonly countryCode: string;
}

export interface PhoneNumbers {
  /** What the user's tap on the phone-number button gives the mini program. */
  mintCode(
    appId: string,
    options?: { openid?: string; phoneNumber?: string; countryCode?: string },
  ): { code: string } & PhoneGrant;
  readonly route: Route;
}

/** A stable made-up mainland number per openid. */
function numberFor(openid: string): string {
  let hash = 0;
  for (const char of openid) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `138${String(hash % 100_000_000).padStart(8, '0')}`;
}

export function createPhoneNumbers(
  registry: EmulatorAppRegistry,
  guard: TokenGuard,
  clock: Clock,
): PhoneNumbers {
  const codes = createCodeStore<PhoneGrant>(clock, CODE_LIFETIMES_MS.phone);
  const route = guard.routeFor('miniprogram', 'POST', (req, app) => {
    const parsed = parseJsonObject(req.body);
    if (parsed.kind === 'malformed') return fail(47001);
    const { code, openid } = parsed.value;
    if (typeof code !== 'string' || code === '') return fail(40029);
    const found = codes.lookup(app.config.appId, code);
    if (!found.ok) return fail(40029);
    const grant = found.entry.data;
    if (openid !== undefined && openid !== '' && openid !== grant.openid) return fail(40029);
    codes.consume(found.entry);
    const own = grant.countryCode === '86';
    return ok({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: own ? grant.purePhoneNumber : `+${grant.countryCode}${grant.purePhoneNumber}`,
        purePhoneNumber: grant.purePhoneNumber,
        countryCode: grant.countryCode,
        watermark: { timestamp: Math.floor(clock.now() / 1000), appid: app.config.appId },
      },
    });
  });
  return {
    route,
    mintCode(appId, options = {}) {
      const app = registry.require(appId);
      if (app.config.kind !== 'miniprogram') {
        throw new RangeError(`phone-number codes are for mini programs; ${appId} is not one`);
      }
      const user = app.users.getOrCreate(options.openid);
      const countryCode = options.countryCode ?? '86';
      const purePhoneNumber = options.phoneNumber ?? numberFor(user.openid);
      if (!/^\d{1,4}$/.test(countryCode) || !/^\d{4,15}$/.test(purePhoneNumber)) {
        throw new RangeError('countryCode must be 1-4 digits and phoneNumber 4-15 digits');
      }
      const grant = { openid: user.openid, purePhoneNumber, countryCode };
      return { code: codes.mint(appId, grant), ...grant };
    },
  };
}
