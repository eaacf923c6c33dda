import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, newKioskPage, type VIEWPORTS } from './browser';
import { startServer, type RunningServer } from './server';

/** The built renderer the browser tests load (npm test builds it first). */
export const STATIC_DIR = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

/**
 * One real server (the built renderer, the test clock) and one Chromium for a test file:
 * both start before its tests and are stopped after them. `ready` hands them to the file.
 */
export function useServerAndBrowser(ready: (server: RunningServer, browser: Browser) => void): void {
  let started: [RunningServer, Browser] | undefined;
  beforeAll(async () => {
    started = await Promise.all([startServer({ staticDir: STATIC_DIR }), launchBrowser()]);
    ready(...started);
  });
  afterAll(async () => {
    await started?.[1].close();
    await started?.[0].stop();
  });
}

/**
 * The driver's kiosk in a browser page, as the e2e files open and drive it: one copy of the
 * set-up (viewport, touch, page errors collected, the home screen up) and of the on-screen
 * keyboard, instead of one per file.
 */
export interface KioskPageOptions {
  /** Playwright's fake clock, installed before the app loads (the page's timers move by hand). */
  fakeClock?: boolean;
  /** Every setInterval fires this many times later than asked (a busy machine). */
  lateTimers?: number;
  /** A script run in the page before the app (e.g. a speech stand-in). */
  initScript?: () => void;
  /** Collect page errors into this array (default: a new one, returned). */
  errors?: string[];
}

/** Opens the kiosk at `url` and waits for the home screen; page errors are collected. */
export async function openKiosk(browser: Browser, url: string, orientation: keyof typeof VIEWPORTS = 'portrait', options: KioskPageOptions = {}) {
  const { context, page } = await newKioskPage(browser, 'about:blank', orientation);
  if (options.fakeClock) await page.clock.install();
  if (options.lateTimers) {
    await page.addInitScript((factor: number) => {
      const original = window.setInterval.bind(window);
      window.setInterval = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) =>
        original(handler, (ms ?? 0) * factor, ...rest)) as typeof window.setInterval;
    }, options.lateTimers);
  }
  if (options.initScript) await page.addInitScript(options.initScript);
  const errors = options.errors ?? [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.getByRole('button', { name: 'Book a slot' }).waitFor();
  return { context, page, errors };
}

/** Types on the on-screen keyboard, one tap per key; the last keyboard on screen (a correction sheet's, when open). */
export async function typeKeys(page: Page, text: string): Promise<void> {
  for (const char of text)
    await page
      .locator(`.plate-keyboard [data-skbtn="${char === ' ' ? '{space}' : char.toUpperCase()}"]`)
      .last()
      .tap();
}

/** The confirmation's countdown (H:MM:SS) in seconds. */
export async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('countdown').textContent({ timeout: 2_000 })) ?? '';
  const [h, m, s] = text.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
}

/** A driver's whole Instant booking on the touch screen (slot, plate, read-back, book); the booking's reference. */
export async function bookThroughUi(page: Page, slot: string, plate: string): Promise<string> {
  await page.getByRole('button', { name: 'Book a slot' }).tap();
  await page.locator(`[data-slot="${slot}"]`).tap();
  await page.getByRole('button', { name: `Continue with ${slot}` }).tap();
  await typeKeys(page, plate);
  await page.getByRole('button', { name: 'Next' }).tap();
  await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
  await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
  await page.getByTestId('countdown').waitFor();
  return (await page.getByTestId('reference').textContent())!;
}
