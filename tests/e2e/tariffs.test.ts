import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

/**
 * Tariffs at the kiosk and in the console: an owner saves a tiered tariff with several
 * durations (over the procedures), a driver picks a non-default stay and sees its price,
 * extends from the confirmation, and the console's Tariff section shows the version.
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// First hour ₹60/h, later hours ₹40/h; 15-minute steps; 30–180 min in 30-minute steps.
const tariff = {
  schemaVersion: 1,
  currency: 'INR',
  stepMinutes: 15,
  minimumCharge: 0,
  dailyCap: null,
  maxStayMinutes: 240,
  durations: { minMinutes: 30, maxMinutes: 180, stepMinutes: 30, defaultMinutes: 60 },
  graceMinutes: 10,
  rates: [
    {
      name: 'Standard',
      tiers: [
        { fromMinute: 0, pricePerHour: 6000, label: 'first hour' },
        { fromMinute: 60, pricePerHour: 4000, label: 'later hours' },
      ],
    },
  ],
};

async function typeKeys(page: import('playwright-core').Page, text: string) {
  for (const char of text) await page.locator(`.plate-keyboard [data-skbtn="${char.toUpperCase()}"]`).tap();
}

const countdownSeconds = async (page: import('playwright-core').Page) => {
  const text = (await page.getByTestId('countdown').textContent({ timeout: 2_000 })) ?? '';
  const [h, m, s] = text.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

describe('tariffs in the kiosk and the console', () => {
  it('books a chosen duration at its price, extends it, and the console shows the version', async () => {
    const owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
    const saved = await owner.tariff.save.mutate({ document: tariff as never });
    expect(saved.version).toBeGreaterThanOrEqual(1);

    const slots = await server.client().slot.list.query({});
    const slot = slots.find((candidate) => candidate.vehicleType === 'car' && candidate.available)!;
    const durations = await server.client().booking.durations.query({ slotId: slot.id, bookingType: 'instant' });
    expect(durations.options.map((option) => option.minutes)).toEqual([30, 60, 90, 120, 150, 180]);
    expect(durations.defaultMinutes).toBe(60);
    expect(durations.options.find((option) => option.minutes === 90)!.price).toBe(8000);

    const { context, page } = await newKioskPage(browser, server.url, 'portrait');
    try {
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator(`[data-slot="${slot.label}"]`).tap();
      await page.getByRole('button', { name: `Continue with ${slot.label}` }).tap();
      await typeKeys(page, 'KL07TA1234');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)

      // The default (1 h) is preselected; 1 h 30 min costs ₹80.00 (60 + 30 min × ₹40/h).
      await expect.poll(() => page.getByRole('button', { name: /^1 h ·/ }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
      await page.getByRole('button', { name: /^1 h 30 min ·/ }).tap();
      await expect.poll(() => page.locator('.summary-row.total dd').textContent()).toContain('80.00');
      await screenshot(page, 'tariff-duration-choice');
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      expect(await page.getByTestId('total').textContent()).toContain('80.00');
      expect(await countdownSeconds(page)).toBeGreaterThan(85 * 60);
      expect(await countdownSeconds(page)).toBeLessThanOrEqual(90 * 60);
      await expect.poll(() => page.getByTestId('grace-note').textContent()).toContain('your slot is kept for you until');

      // Extend by 30 min: the whole 2 h stay costs ₹100.00, so ₹20.00 more.
      await page.getByRole('button', { name: 'Extend', exact: true }).tap();
      await page.getByRole('button', { name: /^\+30 min ·/ }).tap();
      await screenshot(page, 'tariff-extend-chooser');
      await page.getByRole('button', { name: /^Extend and pay .*20\.00/ }).tap();
      await expect.poll(() => countdownSeconds(page), { timeout: 10_000 }).toBeGreaterThan(115 * 60);
      expect(await page.getByTestId('total').textContent()).toContain('100.00');
    } finally {
      await context.close();
    }

    const staff = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    try {
      const field = staff.page.getByLabel('PIN');
      await field.fill('482916');
      await field.press('Enter');
      await staff.page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Tariff' }).click();
      await expect.poll(() => staff.page.getByTestId('tariff-version').textContent(), { timeout: 10_000 }).toContain(`Version ${saved.version}`);
      await staff.page.getByRole('button', { name: 'Preview sample stays' }).click();
      await staff.page.getByRole('table', { name: 'Tariff preview' }).waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
        await screenshot(staff.page, 'tariff-console-section-failed');
        throw error;
      });
      await screenshot(staff.page, 'tariff-console-section');
    } finally {
      await staff.context.close();
    }
  }, 120_000);
});
