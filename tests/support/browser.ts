import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const VIEWPORTS = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
  desktop: { width: 1366, height: 768 },
} as const;

/** Browsers launched in this test process and not closed yet (after-file-browsers.ts closes them). */
const open = new Set<Browser>();

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  open.add(browser);
  browser.on('disconnected', () => open.delete(browser));
  return browser;
}

/** Closes every browser still open; returns how many there were. */
export async function closeAllBrowsers(): Promise<number> {
  const left = [...open];
  await Promise.all(left.map((browser) => browser.close().catch(() => undefined)));
  return left.length;
}

export async function newKioskPage(
  browser: Browser,
  url: string,
  viewport: keyof typeof VIEWPORTS = 'portrait',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    hasTouch: viewport !== 'desktop',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

// Test runs keep their screenshots in .tmp so they never dirty the work tree;
// UPDATE_SCREENSHOTS=1 refreshes the set kept in docs/screenshots for the README.
const screenshotDir = join(import.meta.dirname, '..', '..', ...(process.env.UPDATE_SCREENSHOTS === '1' ? ['docs', 'screenshots'] : ['.tmp', 'screenshots']));

/** Saves a screenshot (see above for where). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
