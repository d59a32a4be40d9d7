/**
 * GraphiQL keeps its tabs in the browser (localStorage), and the sandbox's examples carry values
 * that work once or only for one run of the gateway: login and phone codes, a tag to delete, the
 * throw-away keys. The same browser profile comes back: after a reload, after a crash of the
 * gateway (its keys file left behind; the browser started again on the same profile) and after
 * a clean stop (the file removed, new keys). Every time, every example must run as it is, and a
 * tab of the user's own must still be there.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchChromiumProfile } from '../support/chromium.js';
import {
  runEveryExample,
  TABS,
  watchContext,
  type PageWatch,
} from '../support/graphiql-browser.js';
import { freePort, portIsFree } from '../support/ports.js';
import { startSandboxGateway, type SandboxGateway } from '../support/sandbox-gateway.js';

const OWN_TAB = 'query MyOwnTab { tokenStatus { app } }';

/** Whether `check` holds within 10 s (polled). */
async function eventually(check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let tries = 0; tries < 100; tries++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function adminKey(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as { adminApiKey: string }).adminApiKey;
}

/** A tab of the user's own: opened with the + button, a query typed in. */
async function addOwnTab(page: Page): Promise<void> {
  await page.locator('.graphiql-tab-add').click();
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(OWN_TAB);
  await page.locator('.graphiql-tab-button', { hasText: 'MyOwnTab' }).waitFor({ timeout: 5_000 });
  // GraphiQL saves its tabs half a second after a change.
  await page.waitForTimeout(1_000);
}

async function tabTitles(page: Page): Promise<string[]> {
  return page.locator('.graphiql-tab-button').allInnerTexts();
}

describe('GraphiQL coming back in the same browser (sandbox, real browser)', () => {
  it('runs every example on every visit, after a reload and after restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphiql-revisit-'));
    const profileDir = join(dir, 'profile');
    const keysFile = join(dir, 'sandbox-keys.json');
    const settings = {
      PORT: String(await freePort()),
      SANDBOX_KEYS_FILE: keysFile,
      SHUTDOWN_DELAY_MS: '0',
    };
    let gateway: SandboxGateway | undefined;
    let profile: BrowserContext | undefined;
    let seen: PageWatch | undefined;
    let ownTab = false;
    const open = async (): Promise<Page> => {
      profile = await launchChromiumProfile(profileDir);
      seen = await watchContext(profile);
      return seen.watch(profile.pages()[0] ?? (await profile.newPage()));
    };
    /**
     * Visits (or reloads): the example tabs come first, fresh (each titled for what it is for),
     * the user's own tab after them; every example runs. Returns the admin header sent.
     */
    const visit = async (page: Page, how: 'goto' | 'reload', url: string): Promise<string> => {
      // What the earlier page said as the gateway went away is not this visit's concern.
      if (seen) seen.pageErrors.length = 0;
      if (how === 'goto') await page.goto(url);
      else await page.reload();
      await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });
      const titles = await tabTitles(page);
      expect(titles.slice(0, TABS.length)).toEqual(TABS.map(([title]) => title));
      expect(titles.slice(TABS.length)).toEqual(ownTab ? ['MyOwnTab'] : []);
      const answers = await runEveryExample(page, new URL(url).origin);
      expect(seen?.pageErrors).toEqual([]);
      return answers.get('AccessToken')?.authorization ?? '';
    };
    try {
      gateway = await startSandboxGateway(settings);
      const { url } = gateway;
      let page = await open();

      // First visit; a tab of the user's own joins the examples.
      expect(await visit(page, 'goto', url)).toBe(`Bearer ${adminKey(keysFile)}`);
      await addOwnTab(page);
      ownTab = true;

      // A reload: the codes minted for the first page are spent by now.
      await visit(page, 'reload', url);

      // A crash: the keys file stays behind, the next start makes its own keys. The browser
      // is started again too, on the same profile.
      const firstKey = adminKey(keysFile);
      await profile?.close();
      await gateway.kill();
      expect(existsSync(keysFile)).toBe(true);
      gateway = await startSandboxGateway(settings);
      page = await open();
      expect(gateway.url).toBe(url);
      const afterCrash = await visit(page, 'goto', url);
      expect(afterCrash).toBe(`Bearer ${adminKey(keysFile)}`);

      // A clean stop removes the keys file; the next start has new keys.
      const secondKey = adminKey(keysFile);
      // The page's connections would hold up the shutdown.
      await page.goto('about:blank');
      await gateway.stop();
      // npx exits first; the gateway then finishes its shutdown, removing the file.
      expect(await eventually(() => !existsSync(keysFile))).toBe(true);
      expect(await eventually(() => portIsFree(Number(settings.PORT)))).toBe(true);
      gateway = await startSandboxGateway(settings);
      const afterRestart = await visit(page, 'goto', url);
      expect(afterRestart).toBe(`Bearer ${adminKey(keysFile)}`);
      expect(new Set([firstKey, secondKey, adminKey(keysFile)]).size).toBe(3);
      expect(seen?.blocked).toEqual([]);
    } finally {
      await profile?.close();
      await gateway?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 480_000);
});
