/** Debian's chromium (never a downloaded browser), headless, for the browser tests. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function missing(): Promise<never> | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : Promise.reject(new Error(`${CHROMIUM} not found: install Debian's chromium`));
}

/** Throws (so the test fails, never skips) when the browser is missing. */
export function launchChromium(): Promise<Browser> {
  return missing() ?? chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A browser with a profile in `userDataDir` (localStorage, cache and all), as a person's browser
 * keeps them from one visit to the next; launched again on the same directory it finds them.
 */
export function launchChromiumProfile(userDataDir: string): Promise<BrowserContext> {
  return (
    missing() ??
    chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    })
  );
}

/** Whether a request stays on this machine (data:, blob: of a loopback page, about:). */
export function isLoopback(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:' || url.protocol === 'about:') return true;
  // blob: URLs carry their creator's origin (blob:http://127.0.0.1:port/uuid).
  const target = url.protocol === 'blob:' ? new URL(url.pathname) : url;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname);
}
