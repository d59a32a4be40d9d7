/**
 * What WeChat's browser does on `wx.config()` (§8.2): recompute the signature from the account's
 * current jsapi_ticket and the page's own URL (without its #fragment) and compare. Written apart
 * from the gateway's signer on purpose, so one checks the other.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorAppRegistry } from './registry.js';
import type { Tickets } from './ticket.js';

/** The fields of `wx.config()` that the signature covers, as the page passed them. */
export interface JsapiConfigInput {
  readonly appId: string;
  readonly timestamp: number | string;
  readonly nonceStr: string;
  readonly signature: string;
}

/**
 * `errMsg` is what `wx.error` receives (WeChat's wording); `reason` says which part failed, for
 * the developer (the real JS-SDK shows no more than errMsg, even in debug mode).
 */
export type JsapiConfigCheck =
  { readonly ok: true } | { readonly ok: false; readonly errMsg: string; readonly reason: string };

const INVALID_SIGNATURE = 'config:invalid signature';

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function checkJsapiConfig(
  registry: EmulatorAppRegistry,
  tickets: Tickets,
  config: JsapiConfigInput,
  pageUrl: string,
): JsapiConfigCheck {
  const refuse = (reason: string): JsapiConfigCheck => ({
    ok: false,
    errMsg: INVALID_SIGNATURE,
    reason,
  });
  const app = registry.get(config.appId);
  if (app?.config.kind !== 'official') {
    return refuse(`appId ${config.appId} is not an official account of this emulator`);
  }
  if (String(config.timestamp) === '' || config.nonceStr === '' || config.signature === '') {
    return refuse('timestamp, nonceStr and signature are all required');
  }
  const ticket = tickets.current(config.appId, 'jsapi');
  if (ticket === undefined) {
    return refuse('the account has no valid jsapi_ticket: nothing can have been signed with it');
  }
  const url = pageUrl.split('#')[0] ?? '';
  const string1 = `jsapi_ticket=${ticket}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${url}`;
  if (!sameText(sha1Hex(string1), config.signature)) {
    return refuse(
      `the signature does not match the current jsapi_ticket, this nonceStr and timestamp and the page URL ${url}`,
    );
  }
  return { ok: true };
}
