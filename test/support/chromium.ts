/** Debian's chromium (never a downloaded browser), headless, for the browser tests. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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

/** Throws (so the test fails, never skips) when the browser is missing. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    return Promise.reject(new Error(`${CHROMIUM} not found: install Debian's chromium`));
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Whether a request stays on this machine (data:, blob: of a loopback page, about:). */
export function isLoopback(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:' || url.protocol === 'about:') return true;
  // blob: URLs carry their creator's origin (blob:http://127.0.0.1:port/uuid).
  const target = url.protocol === 'blob:' ? new URL(url.pathname) : url;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname);
}
