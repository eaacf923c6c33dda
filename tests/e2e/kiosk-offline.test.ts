import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { startRestartableServer, type RestartableServer } from '../support/restartable-server';

/**
 * The kiosk's server goes away under an open kiosk (the real server process, killed with its
 * process group) and comes back on the same port with the same database. The kiosk must keep
 * the driver's flow, say it is offline, keep resetting for the next driver, and recover by
 * itself: nobody taps anything to bring it back.
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

let server: RestartableServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startRestartableServer({ staticDir }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  const pid = server?.pid();
  await server?.stop();
  // Nothing of the server is left behind.
  if (pid) expect(() => process.kill(pid, 0)).toThrow();
});

async function typeKeys(page: Page, text: string) {
  for (const char of text) await page.locator(`.plate-keyboard [data-skbtn="${char.toUpperCase()}"]`).tap();
}

async function openKiosk(options: { fakeClock?: boolean } = {}) {
  const { context, page } = await newKioskPage(browser, 'about:blank', 'portrait');
  if (options.fakeClock) await page.clock.install();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Book a slot' }).waitFor();
  return { context, page };
}

const banner = (page: Page) => page.getByTestId('offline-banner');

/** An error panel that would need a tap, anywhere on screen. */
const errorPanels = async (page: Page) => {
  const texts = await page.locator('.error-panel').allTextContents();
  expect(texts, 'error panels on screen').toEqual([]);
  return texts.length;
};

/** The banner never pushes the screen past its edges (a full landscape home screen included). */
async function expectNoOverflow(page: Page) {
  const size = page.viewportSize()!;
  expect(await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }))).toEqual(size);
  const last = await page.locator('.language-switch, .action-bar').last().boundingBox();
  if (last) expect(last.y + last.height).toBeLessThanOrEqual(size.height);
}

async function stopServer() {
  const pid = server.pid()!;
  await server.stop();
  expect(() => process.kill(pid, 0), 'the server process is gone').toThrow();
}

describe('the kiosk when its server is lost and comes back', () => {
  it('keeps the flow with an offline notice, never says "no free slots", and recovers by itself', async () => {
    const { context, page } = await openKiosk();
    try {
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator('[data-slot="A1"]').tap();
      await page.getByRole('button', { name: 'Continue with A1' }).tap();
      await typeKeys(page, 'KL01OF1001');
      await expect.poll(() => page.locator('#vehicle-feedback').textContent()).toBe('Will be booked as KL-01-OF-1001');

      await stopServer();
      await banner(page).waitFor({ timeout: 15_000 });
      expect(await banner(page).textContent()).toContain('No connection to the booking system.');
      // The driver's flow stays on screen, with what was typed.
      expect(await page.getByRole('heading', { name: 'Your vehicle number' }).isVisible()).toBe(true);
      expect(await page.locator('#vehicle-number').inputValue()).toBe('KL01OF1001');
      expect(await errorPanels(page)).toBe(0);
      await screenshot(page, 'kiosk-offline-vehicle-portrait');

      // The next screen change does not turn into an error panel; the map says offline, not "no free slots".
      await page.getByRole('button', { name: 'Back' }).tap();
      await page.getByRole('heading', { name: 'Choose a slot' }).waitFor();
      await page.getByTestId('slots-offline').waitFor();
      expect(await page.getByText(/No free .*slots right now/).count()).toBe(0);
      expect(await errorPanels(page)).toBe(0);
      expect(await page.locator('.slot-grid li').count()).toBe(24);
      await expectNoOverflow(page);
      await screenshot(page, 'kiosk-offline-slots-portrait');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.getByTestId('slots-offline').waitFor();
      await expectNoOverflow(page);
      await screenshot(page, 'kiosk-offline-slots-landscape');
      await page.setViewportSize({ width: 1080, height: 1920 });

      // Back on the same port and database: the kiosk notices with no tap and carries on.
      await server.start();
      await banner(page).waitFor({ state: 'hidden', timeout: 20_000 });
      await page.getByTestId('slots-offline').waitFor({ state: 'hidden', timeout: 10_000 });
      expect(await errorPanels(page)).toBe(0);
      await page.getByRole('button', { name: 'Continue with A1' }).tap();
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap();
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      expect(await page.getByTestId('reference').textContent()).toMatch(/^[A-Z0-9]{6}$/);

      // Live again: a second loss and return under the booking screen is noticed too.
      await stopServer();
      await banner(page).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('countdown').isVisible()).toBe(true);
      await server.start();
      await banner(page).waitFor({ state: 'hidden', timeout: 20_000 });
      expect(await errorPanels(page)).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('still resets for the next driver while offline, and the home screen says its counts are not live', async () => {
    const { context, page } = await openKiosk({ fakeClock: true });
    try {
      await expect.poll(() => page.getByTestId('free-total').textContent()).toMatch(/^\d+ of 24 free$/);
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator('[data-slot="A2"]').tap();
      await page.getByRole('button', { name: 'Continue with A2' }).tap();

      await stopServer();
      await banner(page).waitFor({ timeout: 15_000 });
      await page.clock.fastForward(61_000);
      await page.getByRole('alertdialog', { name: 'Need more time?' }).waitFor();
      await page.clock.fastForward(31_000);
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      expect(await banner(page).isVisible()).toBe(true);
      // Never a confident "24 of 24 free" from a kiosk that cannot know.
      await expect.poll(() => page.getByTestId('free-total').textContent()).toMatch(/^Offline: \d+ of 24 free when last heard$/);
      expect(await errorPanels(page)).toBe(0);
      await expectNoOverflow(page);
      await screenshot(page, 'kiosk-offline-home-portrait');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await expectNoOverflow(page);
      await screenshot(page, 'kiosk-offline-home-landscape');
      await page.setViewportSize({ width: 1080, height: 1920 });

      await server.start();
      await banner(page).waitFor({ state: 'hidden', timeout: 20_000 });
      await expect.poll(() => page.getByTestId('free-total').textContent(), { timeout: 10_000 }).toMatch(/^\d+ of 24 free$/);
    } finally {
      await context.close();
    }
  });
});
