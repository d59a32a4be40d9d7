/**
 * Web OAuth in the page: off to WeChat's authorize page with a fresh `state`, and back with
 * `?code=…&state=…` (or only `state` when the user refused). The state guards against a login
 * started elsewhere (login CSRF); code and state leave the address bar at once, so a reload or a
 * shared link never replays them and the JS-SDK signs the clean URL.
 */
import type { H5Config } from './config.js';

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

const STATE_KEY = 'h5.oauth-state';

/** WeChat takes up to 128 characters of [a-zA-Z0-9]. */
function newState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The page without code and state, and without its fragment: where WeChat is to come back to. */
function pageUrl(location: Location): URL {
  const url = new URL(location.href);
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  url.hash = '';
  return url;
}

export function authorizeUrl(
  config: H5Config,
  scope: OAuthScope,
  location: Location,
  storage: Storage,
): string {
  const state = newState();
  storage.setItem(STATE_KEY, state);
  const query = new URLSearchParams({
    appid: config.appId,
    redirect_uri: pageUrl(location).href,
    response_type: 'code',
    scope,
    state,
  });
  return `${config.authorizeUrl}?${query}#wechat_redirect`;
}

export type OAuthReturn =
  | { readonly kind: 'none' }
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'declined' }
  | { readonly kind: 'bad-state' };

/** Reads WeChat's answer from the address bar and removes it from there. */
export function takeOAuthReturn(
  location: Location,
  history: History,
  storage: Storage,
): OAuthReturn {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  if (code === null && state === null) return { kind: 'none' };
  const expected = storage.getItem(STATE_KEY);
  storage.removeItem(STATE_KEY);
  const clean = pageUrl(location);
  // A browser keeps the authorize URL's `#wechat_redirect` across the redirect; the page's own
  // fragment (a hash route) stays.
  if (location.hash !== '#wechat_redirect') clean.hash = location.hash;
  history.replaceState(history.state, '', clean.href);
  if (state === null || expected === null || state !== expected) return { kind: 'bad-state' };
  return code === null ? { kind: 'declined' } : { kind: 'code', code };
}
