import { describe, expect, it } from 'vitest';
import { AUTHORIZE_PATH, type Emulator } from '../../src/emulator/index.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { OAUTH_TOKEN_API } from '../support/wechat-api.js';
import { expectErrcode, get, useEmulator } from './helpers.js';

const PAGE = 'https://shop.example.com/h5/';

interface PageResponse {
  status: number;
  location: string | null;
  contentType: string;
  csp: string;
  text: string;
}

/** What the browser gets, redirects not followed. */
async function open(
  emulator: Emulator,
  params: Record<string, string>,
  form?: Record<string, string>,
): Promise<PageResponse> {
  const query = form === undefined ? `?${new URLSearchParams(params)}` : '';
  const res = await fetch(`${emulator.url}${AUTHORIZE_PATH}${query}`, {
    redirect: 'manual',
    ...(form === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...params, ...form }).toString(),
        }),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    contentType: res.headers.get('content-type') ?? '',
    csp: res.headers.get('content-security-policy') ?? '',
    text: await res.text(),
  };
}

function authorizeParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    appid: OFFICIAL.appId,
    redirect_uri: PAGE,
    response_type: 'code',
    scope: 'snsapi_userinfo',
    state: 'abc123',
    ...overrides,
  };
}

/** The code and state WeChat appended to the page's URL. */
function returned(location: string | null): { code: string | null; state: string | null } {
  if (location === null) throw new Error('no redirect');
  const url = new URL(location);
  return { code: url.searchParams.get('code'), state: url.searchParams.get('state') };
}

function exchange(emulator: Emulator, code: string) {
  return get(emulator, OAUTH_TOKEN_API, {
    appid: OFFICIAL.appId,
    secret: OFFICIAL.appSecret,
    code,
    grant_type: 'authorization_code',
  });
}

describe('GET /connect/oauth2/authorize (open.weixin.qq.com, played by the emulator)', () => {
  const fx = useEmulator();

  it('snsapi_base goes straight back with a code for the first follower and the state', async () => {
    const res = await open(fx.emulator, authorizeParams({ scope: 'snsapi_base', state: 'x9' }));
    expect(res.status).toBe(302);
    expect(res.location).toMatch(
      /^https:\/\/shop\.example\.com\/h5\/\?code=0[A-Za-z0-9]{31}&state=x9$/,
    );
    const { code } = returned(res.location);
    const token = await exchange(fx.emulator, code ?? '');
    expect(token.body).toMatchObject({
      openid: fx.emulator.followerOpenids(OFFICIAL.appId)[0],
      scope: 'snsapi_base',
    });
    // The code works once, as every WeChat code.
    expectErrcode(await exchange(fx.emulator, code ?? ''), 40163);
    expect(fx.emulator.calls(AUTHORIZE_PATH, OFFICIAL.appId)).toBe(1);
  });

  it('snsapi_userinfo shows a consent page; Allow goes back with a code for the chosen user', async () => {
    const page = await open(fx.emulator, authorizeParams());
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<form method="post">');
    expect(page.csp).toContain("form-action 'self' https://shop.example.com");
    const [follower] = fx.emulator.followerOpenids(OFFICIAL.appId);
    const [stranger] = fx.emulator.unsubscribedOpenids(OFFICIAL.appId);
    expect(page.text).toContain(`value="${follower}"`);
    expect(page.text).toContain(`value="${stranger}"`);

    const allowed = await open(fx.emulator, authorizeParams(), {
      decision: 'allow',
      openid: stranger ?? '',
    });
    expect(allowed.status).toBe(302);
    const { code, state } = returned(allowed.location);
    expect(state).toBe('abc123');
    const token = await exchange(fx.emulator, code ?? '');
    expect(token.body).toMatchObject({ openid: stranger, scope: 'snsapi_userinfo' });
  });

  it('a user WeChat has not seen before gets a new openid', async () => {
    const allowed = await open(fx.emulator, authorizeParams(), { decision: 'allow', openid: '' });
    const token = await exchange(fx.emulator, returned(allowed.location).code ?? '');
    const openid = token.body.openid;
    expect(openid).toEqual(expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/));
    expect(fx.emulator.followerOpenids(OFFICIAL.appId)).not.toContain(openid);
    expect(fx.emulator.unsubscribedOpenids(OFFICIAL.appId)).not.toContain(openid);
  });

  it('Deny goes back with the state and no code', async () => {
    const denied = await open(fx.emulator, authorizeParams(), { decision: 'deny', openid: '' });
    expect(denied.status).toBe(302);
    expect(denied.location).toBe(`${PAGE}?state=abc123`);
  });

  it('keeps the redirect_uri’s own query and fragment, adding code and state before the fragment', async () => {
    const res = await open(
      fx.emulator,
      authorizeParams({ scope: 'snsapi_base', redirect_uri: `${PAGE}?from=menu#top` }),
    );
    expect(res.location).toMatch(
      /^https:\/\/shop\.example\.com\/h5\/\?from=menu&code=0[A-Za-z0-9]{31}&state=abc123#top$/,
    );
  });

  it('refuses a user the page did not offer, minting nothing', async () => {
    const res = await open(fx.emulator, authorizeParams(), {
      decision: 'allow',
      openid: 'oSomeoneElse000000000000000',
    });
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
  });

  it.each([
    ['an unknown appid', { appid: 'wx0000000000000bad' }, 'is not an app of this emulator'],
    ['a mini program', { appid: MINI.appId }, '10005'],
    ['no redirect_uri', { redirect_uri: '' }, 'redirect_uri must be an absolute http(s) URL'],
    ['a relative redirect_uri', { redirect_uri: '/h5/' }, 'redirect_uri must be an absolute'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'redirect_uri must'],
    ['response_type token', { response_type: 'token' }, 'response_type must be code'],
    ['scope snsapi_login', { scope: 'snsapi_login' }, '10005: scope must be'],
    ['a state with other characters', { state: 'a-b' }, 'state must be at most 128 characters'],
    ['a state of 129 characters', { state: 'a'.repeat(129) }, 'state must be at most 128'],
  ])('shows an error page, never a redirect, for %s', async (_what, overrides, message) => {
    const res = await open(fx.emulator, authorizeParams(overrides));
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.contentType).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(message);
  });

  it('escapes what the request carries', async () => {
    const res = await open(fx.emulator, authorizeParams({ appid: '<script>x</script>' }));
    expect(res.text).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(res.text).not.toContain('<script>');
  });
});
