/**
 * What a newcomer does first: `npx tsx src/main.ts` with no WeChat credentials (sandbox mode),
 * open the GraphiQL URL from the log in a real browser and run the example operations. Drives
 * Debian's chromium (never a downloaded browser) and fails if it is missing.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isLoopback, launchChromium } from '../support/chromium.js';
import { runEveryExample, watchContext } from '../support/graphiql-browser.js';
import { startSandboxGateway } from '../support/sandbox-gateway.js';

const SCREENSHOTS = { login: '/tmp/graphiql.png', events: '/tmp/graphiql-events.png' };

/** Opens GraphiQL, runs every example and checks what the page showed and requested. */
async function exerciseGraphiQL(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const seen = await watchContext(context);
  const page = seen.watch(await context.newPage());
  await page.goto(url);
  await runEveryExample(page, new URL(url).origin, { screenshots: SCREENSHOTS });
  expect(seen.blocked).toEqual([]);
  expect(seen.requested.filter((target) => !isLoopback(target))).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
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
  }, 180_000);
});
