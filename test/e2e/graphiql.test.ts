/**
 * What a newcomer does first: `npx tsx src/main.ts` with no WeChat credentials (sandbox mode),
 * open the GraphiQL URL from the log in a real browser and run the example operations. Drives
 * Debian's chromium (never a downloaded browser) and fails if it is missing.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isLoopback, launchChromium } from '../support/chromium.js';
import { GRAPHIQL_TAB_OPERATIONS } from '../support/graphiql-tabs.js';
import { startSandboxGateway } from '../support/sandbox-gateway.js';

const SCREENSHOT = '/tmp/graphiql.png';
const EVENTS_SCREENSHOT = '/tmp/graphiql-events.png';

/** Every example, and the root field each one answers with. */
const EXAMPLES: Record<string, string> = {
  Login: 'login',
  LoginMiniProgram: 'login',
  JsapiConfig: 'jsapiConfig',
  Me: 'me',
  Logout: 'logout',
  UserInfo: 'userInfo',
  Users: 'users',
  Followers: 'followers',
  OpenidOfficial: 'openid',
  OpenidMiniProgram: 'openid',
  Events: 'events',
  WechatEvents: 'wechatEvents',
  AccessToken: 'accessToken',
  TokenStatus: 'tokenStatus',
  RefreshAccessToken: 'refreshAccessToken',
  ResetTokenBreaker: 'resetTokenBreaker',
  SendTemplateMessage: 'sendTemplateMessage',
  MassSend: 'massSend',
  MassPreview: 'massPreview',
  MassStatus: 'massStatus',
  MassDelete: 'massDelete',
  CreateQrCode: 'createQrCode',
  Tags: 'tags',
  UsersByTag: 'usersByTag',
  CreateTag: 'createTag',
  RenameTag: 'renameTag',
  DeleteTag: 'deleteTag',
  TagUsers: 'tagUsers',
  UntagUsers: 'untagUsers',
  SetUserRemark: 'setUserRemark',
  SendSubscribeMessage: 'sendSubscribeMessage',
  MiniProgramCode: 'miniProgramCode',
  MiniProgramLink: 'miniProgramLink',
  PhoneNumber: 'phoneNumber',
};

/**
 * GraphiQL's tabs, titled after their first operation until one runs (then after that one), and
 * the examples in each, in order.
 */
const TABS = GRAPHIQL_TAB_OPERATIONS.map(
  (operations) => [operations[0] ?? '', operations] as const,
);

/** The result pane as the user reads it (Monaco renders spaces as no-break spaces). */
async function resultText(page: Page): Promise<string> {
  const text = await page.locator('.graphiql-response').innerText();
  return text.replace(/\u00a0/g, ' ');
}

interface Answer {
  body: { data?: Record<string, Record<string, unknown> | null>; errors?: unknown[] };
  shown: string;
  /** The Authorization header the page sent. */
  authorization: string | undefined;
}

/** Waits for the POST of `operationName` and for the result pane to show its answer. */
async function runAndRead(
  page: Page,
  operationName: string,
  trigger: () => Promise<void>,
): Promise<Answer> {
  const rootField = EXAMPLES[operationName];
  if (rootField === undefined) throw new Error(`unknown example ${operationName}`);
  const before = await resultText(page);
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' &&
        r.request().postData()?.includes(`"operationName":"${operationName}"`) === true,
    ),
    trigger(),
  ]);
  const body: Answer['body'] = await response.json();
  await page.waitForFunction(
    ([previous, field]) => {
      const pane = document.querySelector<HTMLElement>('.graphiql-response');
      const text = pane?.innerText.replace(/\u00a0/g, ' ') ?? '';
      return text !== previous && (text.includes(`"${field}"`) || text.includes('"errors"'));
    },
    [before, rootField] as const,
    { timeout: 10_000 },
  );
  const authorization = (await response.request().allHeaders())['authorization'];
  return { body, shown: await resultText(page), authorization };
}

/** Opens the tab at `index` with one click, as a user would, and checks it opened. */
async function openTab(page: Page, index: number, title: string): Promise<void> {
  const button = page.locator('.graphiql-tab-button').nth(index);
  expect(await button.innerText()).toBe(title);
  await button.click();
  await page
    .locator('.graphiql-tab')
    .nth(index)
    .and(page.locator('[aria-selected="true"]'))
    .waitFor({ timeout: 5_000 });
}

/** Runs one example of the open tab from the run button's menu. */
function runFromMenu(page: Page, operationName: string): Promise<Answer> {
  return runAndRead(page, operationName, async () => {
    await page.locator('.graphiql-execute-button').click();
    await page.getByRole('menuitem', { name: operationName, exact: true }).click();
  });
}

/**
 * The subscription example runs until stopped. Started from the menu, it waits for events; the
 * sandbox route its comment names makes a user tap a menu, the event shows in the result pane,
 * and the stop button ends it (so the next example can run).
 */
async function runSubscription(page: Page, origin: string): Promise<void> {
  const before = await resultText(page);
  const [response] = await Promise.all([
    page.waitForResponse((r) => {
      const request = r.request();
      // GraphiQL asks for a subscription with GET (query in the URL), as GraphQL over SSE allows.
      const sent = `${request.url()} ${request.postData() ?? ''}`;
      return sent.includes('WechatEvents');
    }),
    (async () => {
      await page.locator('.graphiql-execute-button').click();
      await page.getByRole('menuitem', { name: 'WechatEvents', exact: true }).click();
    })(),
  ]);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/event-stream');
  // The subscription is set up once the stream is open; taps until one shows.
  let shown = '';
  for (let tries = 0; tries < 20 && !shown.includes('MenuClickEvent'); tries++) {
    const pushed = await fetch(`${origin}/sandbox/events/menu-click?key=V1001_TODAY_MUSIC`);
    expect(((await pushed.json()) as { delivered: boolean }).delivered).toBe(true);
    await page
      .waitForFunction(
        (previous) => {
          const pane = document.querySelector<HTMLElement>('.graphiql-response');
          const text = pane?.innerText ?? '';
          return text !== previous && text.includes('MenuClickEvent');
        },
        before,
        { timeout: 500 },
      )
      .catch(() => undefined);
    shown = await resultText(page);
  }
  expect(shown).toContain('"wechatEvents"');
  expect(shown).toContain('"key": "V1001_TODAY_MUSIC"');
  expect(shown).not.toContain('"errors"');
  await page.screenshot({ path: EVENTS_SCREENSHOT });
  // Running, the execute button stops the subscription.
  await page.locator('.graphiql-execute-button').click();
}

function expectData(operationName: string, answer: Answer): void {
  expect({ operationName, body: answer.body }).toEqual({
    operationName,
    body: { data: { [EXAMPLES[operationName] ?? '']: expect.anything() } },
  });
  expect(answer.shown, operationName).not.toContain('"errors"');
}

/** Opens GraphiQL, runs every example and checks what the page showed and requested. */
async function exerciseGraphiQL(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const requested: string[] = [];
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  // Anything off loopback is refused, so a CDN dependency shows up as a failure, not a delay.
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (isLoopback(target)) return route.continue();
    blocked.push(target);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(url);
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });

  // Ctrl+Enter with the cursor inside the first operation, as the page's header suggests.
  const first = await runAndRead(page, 'Login', async () => {
    await page
      .locator('.graphiql-query-editor .view-line', { hasText: 'expiresAt' })
      .first()
      .click();
    await page.keyboard.press('Control+Enter');
  });
  expectData('Login', first);
  expect(first.authorization, 'the login tab is anonymous').toBeUndefined();
  expect(first.shown).toContain('"token"');
  await page.screenshot({ path: SCREENSHOT });

  // Every other example, tab by tab; each must answer with data.
  let lastLogin = first;
  for (const [index, [title, operations]] of TABS.entries()) {
    await openTab(page, index, title);
    for (const operationName of operations.filter((name) => name !== 'Login')) {
      if (operationName === 'WechatEvents') {
        await runSubscription(page, new URL(url).origin);
        continue;
      }
      const answer = await runFromMenu(page, operationName);
      expectData(operationName, answer);
      if (operationName === 'LoginMiniProgram') lastLogin = answer;
      if (operationName === 'Me') {
        // login → me: the session tab sent the token the last login returned.
        const login = lastLogin.body.data?.['login'];
        expect(answer.authorization).toBe(`Bearer ${String(login?.['token'])}`);
        expect(answer.body.data?.['me']?.['openid']).toBe(login?.['openid']);
      }
    }
  }

  // After Logout the session tab has no token left: `me` asks for a session again.
  await openTab(page, 1, 'Logout');
  const afterLogout = await runFromMenu(page, 'Me');
  expect(afterLogout.authorization).toBeUndefined();
  expect(afterLogout.body.errors).toEqual([
    expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
  ]);

  expect(blocked).toEqual([]);
  expect(requested.filter((target) => !isLoopback(target))).toEqual([]);
  expect(pageErrors).toEqual([]);
}

describe('GraphiQL in the sandbox (real browser)', () => {
  it('opens from the logged URL, runs every example and loads nothing from outside loopback', async () => {
    // Started in the test, not a hook, so a missing browser fails it instead of skipping it.
    const [gateway, browser] = await Promise.allSettled([startSandboxGateway(), launchChromium()]);
    try {
      if (gateway.status === 'rejected') throw gateway.reason;
      if (browser.status === 'rejected') throw browser.reason;
      expect(gateway.value.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      await exerciseGraphiQL(browser.value, gateway.value.url);
    } finally {
      // The browser first: its keep-alive connections would hold up the gateway's shutdown.
      if (browser.status === 'fulfilled') await browser.value.close();
      if (gateway.status === 'fulfilled') await gateway.value.stop();
    }
  }, 45_000);
});
