/**
 * Driving GraphiQL in Chromium as a user does: open a tab with one click, run an example from the
 * run button's menu (or with Ctrl+Enter), read the result pane. Shared by the browser tests.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { isLoopback } from './chromium.js';
import { GRAPHIQL_TAB_OPERATIONS, GRAPHIQL_TAB_TITLES } from './graphiql-tabs.js';

/** Every example, and the root field each one answers with. */
export const EXAMPLES: Record<string, string> = {
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

/** GraphiQL's tabs, each with its title (whatever runs in it) and its examples, in order. */
export const TABS = GRAPHIQL_TAB_OPERATIONS.map(
  (operations, index) => [GRAPHIQL_TAB_TITLES[index] ?? '', operations] as const,
);

/** The result pane as the user reads it (Monaco renders spaces as no-break spaces). */
export async function resultText(page: Page): Promise<string> {
  const text = await page.locator('.graphiql-response').innerText();
  return text.replace(/\u00a0/g, ' ');
}

export interface Answer {
  body: { data?: Record<string, Record<string, unknown> | null>; errors?: unknown[] };
  shown: string;
  /** The Authorization header the page sent. */
  authorization: string | undefined;
}

/** Waits for the POST of `operationName` and for the result pane to show its answer. */
export async function runAndRead(
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

/** Opens the tab at `index` with one click, as a user would, and checks it opened (and its title). */
export async function openTab(page: Page, index: number, title?: string): Promise<void> {
  const button = page.locator('.graphiql-tab-button').nth(index);
  if (title !== undefined) expect(await button.innerText()).toBe(title);
  await button.click();
  await page
    .locator('.graphiql-tab')
    .nth(index)
    .and(page.locator('[aria-selected="true"]'))
    .waitFor({ timeout: 5_000 });
}

/**
 * The run button's menu of the open tab lists exactly `operations`, each in sight without
 * scrolling (GraphiQL's menu is at most 400 px high: a longer list hides its end).
 */
export async function expectRunMenu(page: Page, operations: readonly string[]): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
  const menu = page.getByRole('menu');
  await menu.waitFor({ timeout: 5_000 });
  const items = menu.getByRole('menuitem');
  expect(await items.allInnerTexts()).toEqual(operations);
  const box = await menu.evaluate((element) => {
    const { top, bottom } = element.getBoundingClientRect();
    return { top, bottom, scrolls: element.scrollHeight > element.clientHeight };
  });
  expect(box.scrolls).toBe(false);
  for (const item of await items.all()) {
    const { top, bottom } = await item.evaluate((element) => element.getBoundingClientRect());
    expect(top >= box.top && bottom <= box.bottom).toBe(true);
  }
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: 5_000 });
}

/** Runs one example of the open tab from the run button's menu. */
export function runFromMenu(page: Page, operationName: string): Promise<Answer> {
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
export async function runSubscription(
  page: Page,
  origin: string,
  screenshot?: string,
): Promise<void> {
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
  if (screenshot !== undefined) await page.screenshot({ path: screenshot });
  // Running, the execute button stops the subscription.
  await page.locator('.graphiql-execute-button').click();
}

export function expectData(operationName: string, answer: Answer): void {
  expect({ operationName, body: answer.body }).toEqual({
    operationName,
    body: { data: { [EXAMPLES[operationName] ?? '']: expect.anything() } },
  });
  expect(answer.shown, operationName).not.toContain('"errors"');
}

/** What a browser context asked for, what it was refused (anything off loopback) and page errors. */
export interface PageWatch {
  requested: string[];
  blocked: string[];
  pageErrors: string[];
  /** Attaches the page-error listener to a page of the context. */
  watch(page: Page): Page;
}

/** Refuses anything off loopback, so a CDN dependency shows up as a failure, not a delay. */
export async function watchContext(context: BrowserContext): Promise<PageWatch> {
  const requested: string[] = [];
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (isLoopback(target)) return route.continue();
    blocked.push(target);
    return route.abort('blockedbyclient');
  });
  return {
    requested,
    blocked,
    pageErrors,
    watch(page) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
  };
}

export interface RunOptions {
  /** Where to save a screenshot after the first login and after the subscription's event. */
  screenshots?: { login: string; events: string };
}

/**
 * On a GraphiQL page that has loaded: runs every example, tab by tab, the first one with
 * Ctrl+Enter as the page's header suggests, and checks each answered with data; login → me sends
 * the new token; after logout `me` asks for a session again.
 */
export async function runEveryExample(
  page: Page,
  origin: string,
  options: RunOptions = {},
): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });
  await openTab(page, 0);
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
  if (options.screenshots) await page.screenshot({ path: options.screenshots.login });

  // Every other example, tab by tab; each must answer with data. A tab keeps its title whatever
  // ran in it, and its run menu shows all of its examples.
  let lastLogin = first;
  for (const [index, [title, operations]] of TABS.entries()) {
    await openTab(page, index, title);
    await expectRunMenu(page, operations);
    for (const operationName of operations.filter((name) => name !== 'Login')) {
      if (operationName === 'WechatEvents') {
        await runSubscription(page, origin, options.screenshots?.events);
        continue;
      }
      const answer = await runFromMenu(page, operationName);
      answers.set(operationName, answer);
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
  await openTab(page, 1, TABS[1]?.[0]);
  const afterLogout = await runFromMenu(page, 'Me');
  expect(afterLogout.authorization).toBeUndefined();
  expect(afterLogout.body.errors).toEqual([
    expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
  ]);
  const titles = await page.locator('.graphiql-tab-button').allInnerTexts();
  expect(titles.slice(0, TABS.length)).toEqual(TABS.map(([title]) => title));
  return answers;
}
