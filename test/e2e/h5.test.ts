/**
 * The H5 example (examples/h5) in a real browser on a fresh sandbox, as a WeChat page: the link
 * from the startup log, the OAuth redirect through the emulator's authorize page, login, me (the
 * avatar served by the emulator), wx.config through the JS-SDK stand-in, logout; and what the page
 * shows when the signature is wrong, the session was revoked, the user declined, or the state is
 * not the page's own. Nothing is loaded from outside loopback.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, launchChromium } from '../support/chromium.js';
import { startSandboxGateway, type SandboxGateway } from '../support/sandbox-gateway.js';

interface Visit {
  page: Page;
  context: BrowserContext;
  /** Every URL the page requested, in order. */
  requested: string[];
  /** Requests off loopback, refused. */
  blocked: string[];
  pageErrors: string[];
}

let gateway: SandboxGateway | undefined;
let browser: Browser | undefined;
let h5Url = '';

async function visit(): Promise<Visit> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  const visited: Visit = {
    context,
    page: await context.newPage(),
    requested: [],
    blocked: [],
    pageErrors: [],
  };
  context.on('request', (request) => visited.requested.push(request.url()));
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (isLoopback(target)) return route.continue();
    visited.blocked.push(target);
    return route.abort('blockedbyclient');
  });
  visited.page.on('pageerror', (error) => visited.pageErrors.push(error.message));
  return visited;
}

/** Nothing left loopback (avatars included: the emulator serves them), the page threw nothing. */
async function finish(visited: Visit): Promise<void> {
  expect(visited.blocked).toEqual([]);
  expect(visited.requested.filter((url) => !isLoopback(url))).toEqual([]);
  expect(visited.pageErrors).toEqual([]);
  await visited.context.close();
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** Sign in with the page's button; for snsapi_userinfo, Allow as the pre-selected user. */
async function signIn(page: Page, scope: 'snsapi_base' | 'snsapi_userinfo'): Promise<string> {
  await page.goto(h5Url);
  await page.locator('#signed-out').waitFor();
  let openid = '';
  if (scope === 'snsapi_userinfo') {
    await page.locator('#sign-in').click();
    await page.waitForURL((url) => url.pathname === '/connect/oauth2/authorize');
    openid = await page.locator('input[name=openid]:checked').inputValue();
    await page.getByRole('button', { name: /Allow/ }).click();
  } else {
    await page.locator('#sign-in-base').click();
  }
  await page.locator('#signed-in').waitFor();
  return openid || (await text(page, '#openid'));
}

/** Ends a session from outside the page (another device, an admin), as the gateway sees it. */
async function graphql(
  query: string,
  token: string,
): Promise<{ errors?: { extensions?: { code?: string } }[] }> {
  const res = await fetch(gateway?.url ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
}

const sessionToken = (page: Page) => page.evaluate(() => sessionStorage.getItem('h5.session'));

describe('the H5 example in the sandbox (real browser)', () => {
  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startSandboxGateway(), launchChromium()]);
    if (started.status === 'fulfilled') gateway = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    // The page is linked from the startup log.
    const line = await started.value.waitForLog((entry) => typeof entry['h5Example'] === 'string');
    h5Url = String(line['h5Example']);
    expect(h5Url).toBe(started.value.url.replace(/\/graphql$/, '/sandbox/h5/'));
  }, 30_000);

  afterAll(async () => {
    // The browser first: its keep-alive connections would hold up the gateway's shutdown.
    await browser?.close();
    await gateway?.stop();
  });

  it('redirect, consent, login, me, wx.config ready with a valid signature, logout', async () => {
    const visited = await visit();
    const { page } = visited;
    await page.goto(h5Url);
    expect(await text(page, '#status')).toBe('Not signed in.');

    await page.locator('#sign-in').click();
    await page.waitForURL((url) => url.pathname === '/connect/oauth2/authorize');
    const authorize = new URL(page.url());
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      appid: 'wx00000000000000a1',
      redirect_uri: h5Url,
      response_type: 'code',
      scope: 'snsapi_userinfo',
      state: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(authorize.hash).toBe('#wechat_redirect');
    const openid = await page.locator('input[name=openid]:checked').inputValue();
    // The seeded users on offer go by different nicknames.
    const labels = await page.locator('label:has(input[name=openid])').allInnerTexts();
    const nicknames = labels.map((label) => label.trim().split(' (')[0]);
    expect(new Set(nicknames).size).toBe(labels.length);

    const verified = page.waitForResponse((r) => r.url().endsWith('/sandbox/jssdk/verify'));
    await page.getByRole('button', { name: /Allow/ }).click();
    await page.locator('#signed-in').waitFor();
    // WeChat came back with code and state; the page took them out of the address bar.
    const back = visited.requested.find((url) => url.startsWith(`${h5Url}?code=`)) ?? '';
    expect(new URL(back).searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    expect(page.url()).toBe(h5Url);

    expect(await text(page, '#openid')).toBe(openid);
    expect(await text(page, '#subscribed')).toBe('yes');
    expect(await text(page, '#nickname')).not.toMatch(/^–/);
    // The avatar, WeChat-shaped (…/mmopen/vi_32/<id>/132), comes from the emulator and shows.
    const avatar = page.locator('#avatar');
    expect(await avatar.isVisible()).toBe(true);
    const src = new URL((await avatar.getAttribute('src')) ?? '');
    expect(src.origin).toBe(new URL(authorize.href).origin);
    expect(src.pathname).toMatch(/^\/mmopen\/vi_32\/[A-Za-z0-9]{40}\/132$/);
    const loadedWidth = () =>
      avatar.evaluate((element) => {
        const img = element as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : -1;
      });
    await expect.poll(loadedWidth).toBe(132);
    await expect.poll(() => text(page, '#jssdk')).toBe('ready');
    expect(await (await verified).json()).toEqual({ ok: true, errMsg: 'config:ok' });

    const token = await sessionToken(page);
    expect(token).toEqual(expect.any(String));
    await page.locator('#logout').click();
    await expect.poll(() => text(page, '#status')).toBe('Logged out.');
    expect(await page.locator('#signed-out').isVisible()).toBe(true);
    expect(await sessionToken(page)).toBeNull();
    // Logged out on the gateway too: the token opens nothing any more.
    const after = await graphql('{ me { openid } }', token ?? '');
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await finish(visited);
  });

  it('snsapi_base signs in silently: no consent page, no profile', async () => {
    const visited = await visit();
    const authorizeAnswers: number[] = [];
    visited.page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/connect/oauth2/authorize')
        authorizeAnswers.push(r.status());
    });
    await signIn(visited.page, 'snsapi_base');
    expect(authorizeAnswers).toEqual([302]);
    expect(await text(visited.page, '#nickname')).toBe('– (snsapi_base: no profile)');
    expect(await text(visited.page, '#subscribed')).toBe('yes');
    await expect.poll(() => text(visited.page, '#jssdk')).toBe('ready');
    await finish(visited);
  });

  it('a wrong signature: wx.error fires and the page shows it', async () => {
    const visited = await visit();
    const { page } = visited;
    // The page gets a jsapiConfig whose signature is off by one character.
    await page.route('**/graphql', async (route) => {
      const response = await route.fetch();
      if (!route.request().postData()?.includes('jsapiConfig')) return route.fulfill({ response });
      const body = (await response.json()) as { data: { jsapiConfig: { signature: string } } };
      const { signature } = body.data.jsapiConfig;
      body.data.jsapiConfig.signature = `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`;
      return route.fulfill({ response, json: body });
    });
    const verified = page.waitForResponse((r) => r.url().endsWith('/sandbox/jssdk/verify'));
    await signIn(page, 'snsapi_base');
    await expect.poll(() => text(page, '#jssdk')).toBe('error: config:invalid signature');
    expect(await (await verified).json()).toMatchObject({
      ok: false,
      errMsg: 'config:invalid signature',
    });
    // Signed in all the same: only the JS-SDK is unavailable.
    expect(await page.locator('#signed-in').isVisible()).toBe(true);
    await finish(visited);
  });

  it('a session revoked elsewhere: the page says it ended and offers to sign in again', async () => {
    const visited = await visit();
    const { page } = visited;
    await signIn(page, 'snsapi_base');
    const token = (await sessionToken(page)) ?? '';
    expect(await graphql('mutation { logout }', token)).toEqual({ data: { logout: true } });

    await page.reload();
    await page.locator('#error').waitFor();
    expect(await text(page, '#error')).toMatch(
      /^Your session has ended: sign in again\. \(.+ \(UNAUTHENTICATED\)\)$/,
    );
    expect(await page.locator('#signed-out').isVisible()).toBe(true);
    expect(await page.locator('#signed-in').isVisible()).toBe(false);
    expect(await sessionToken(page)).toBeNull();
    await finish(visited);
  });

  it('declined on the consent page: back without a code, the page says so', async () => {
    const visited = await visit();
    const { page } = visited;
    await page.goto(h5Url);
    await page.locator('#sign-in').click();
    await page.waitForURL((url) => url.pathname === '/connect/oauth2/authorize');
    await page.getByRole('button', { name: /Deny/ }).click();
    await page.locator('#error').waitFor();
    expect(await text(page, '#error')).toBe('You declined to sign in with WeChat.');
    expect(visited.requested.filter((url) => url.endsWith('/graphql'))).toEqual([]);
    await finish(visited);
  });

  it('a code with a state the page did not make is not used', async () => {
    const visited = await visit();
    const { page } = visited;
    await page.goto(`${h5Url}?code=0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&state=forged`);
    await page.locator('#error').waitFor();
    expect(await text(page, '#error')).toMatch(/state mismatch/);
    expect(page.url()).toBe(h5Url);
    expect(visited.requested.filter((url) => url.endsWith('/graphql'))).toEqual([]);
    await finish(visited);
  });
});
