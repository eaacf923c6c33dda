import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newKioskPage, screenshot } from '../support/browser';
import type { RunningServer } from '../support/server';
import { en } from '../../src/i18n/en';
import { countdownSeconds, openKiosk, typeKeys, useServerAndBrowser } from '../support/kiosk-page';

/**
 * Tariffs at the kiosk and in the console: an owner saves a tiered tariff with several
 * durations (over the procedures), a driver picks a non-default stay and sees its price,
 * extends from the confirmation, and the console's Tariff section shows the version.
 */

let server: RunningServer;
let browser: Browser;

useServerAndBrowser((started, chromium) => {
  [server, browser] = [started, chromium];
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

    const { context, page } = await openKiosk(browser, server.url, 'portrait');
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
      await staff.page
        .getByRole('table', { name: 'Tariff preview' })
        .waitFor({ timeout: 10_000 })
        .catch(async (error: unknown) => {
          await screenshot(staff.page, 'tariff-console-section-failed');
          throw error;
        });
      await screenshot(staff.page, 'tariff-console-section');
    } finally {
      await staff.context.close();
    }
  }, 120_000);
});

/**
 * The typed refusals at the kiosk, each shown as its translated message (never the server's
 * English): an extension that would run into the slot's next booking (SLOT_BOOKED_NEXT), one
 * past the maximum stay (MAX_STAY_EXCEEDED), and a renewal past the maximum stay. The expired
 * screen's Renew hint names what renew sells: the tariff's default stay (90 min), not the lot's
 * booking length (60 min).
 */
describe('refusals and renewal at the kiosk', () => {
  // ₹60/h; 30–180 min in 30-minute steps, default 90; at most 240 min in one stay (chains included).
  const limited = {
    ...tariff,
    maxStayMinutes: 240,
    durations: { minMinutes: 30, maxMinutes: 180, stepMinutes: 30, defaultMinutes: 90 },
    rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] }],
  };
  let owner: ReturnType<RunningServer['client']>;

  beforeAll(async () => {
    owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
    await owner.tariff.save.mutate({ document: limited as never });
    expect((await server.client().lot.list.query())[0]!.bookingMinutes).toBe(60); // so 90 can only come from the tariff
  });

  const freeCarSlot = async (avoid: string[] = []) =>
    (await server.client().slot.list.query({})).find(
      (candidate) => candidate.vehicleType === 'car' && candidate.available && !avoid.includes(candidate.label),
    )!;

  /** Books `label` at the kiosk with the stay `duration` (a button name prefix such as "3 h"), or the default. */
  async function bookAtKiosk(page: import('playwright-core').Page, label: string, plate: string, duration?: string) {
    await page.getByRole('button', { name: 'Book a slot' }).tap();
    await page.locator(`[data-slot="${label}"]`).tap();
    await page.getByRole('button', { name: `Continue with ${label}` }).tap();
    await typeKeys(page, plate);
    await page.getByRole('button', { name: 'Next' }).tap();
    await page.getByTestId('readback-yes').tap();
    await expect.poll(() => page.getByRole('button', { name: /^1 h 30 min ·/ }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    if (duration) await page.getByRole('button', { name: new RegExp(`^${duration} ·`) }).tap();
    await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
    await page.getByTestId('countdown').waitFor();
    const reference = (await page.getByTestId('reference').textContent())!;
    return (await owner.booking.list.query({ search: reference })).items[0]!;
  }

  it('says SLOT_BOOKED_NEXT in words when the slot was booked right after while the driver chose an extension', async () => {
    const slot = await freeCarSlot();
    const { context, page } = await openKiosk(browser, server.url, 'portrait');
    try {
      const booking = await bookAtKiosk(page, slot.label, 'KL07SB1001');
      await page.getByRole('button', { name: 'Extend', exact: true }).tap();
      await page.getByRole('button', { name: /^\+30 min ·/ }).tap();
      // Meanwhile someone books the slot from the end of this stay's grace (10 min) on.
      const nextStart = new Date(Date.parse(booking.endTime) + 10 * 60_000).toISOString();
      await server
        .client()
        .booking.create.mutate({ slotId: slot.id, vehicleNumber: 'KL07SB2002', bookingType: 'advance', startTime: nextStart, durationMinutes: 60 });
      await page.getByRole('button', { name: /^Extend and pay/ }).tap();
      const refusal = page.locator('.extend-chooser [role="alert"]');
      await expect.poll(() => refusal.getAttribute('data-code'), { timeout: 10_000 }).toBe('SLOT_BOOKED_NEXT');
      expect(await refusal.textContent()).toBe(en.booking.SLOT_BOOKED_NEXT);
      await screenshot(page, 'tariff-extend-slot-booked-next');
      // Nothing was sold: the end is where it was.
      expect((await owner.booking.list.query({ search: booking.reference })).items[0]!.endTime).toBe(booking.endTime);
    } finally {
      await context.close();
    }
  });

  it('says MAX_STAY_EXCEEDED in words once the stay has reached the maximum', async () => {
    const slot = await freeCarSlot();
    const { context, page } = await openKiosk(browser, server.url, 'portrait');
    try {
      const booking = await bookAtKiosk(page, slot.label, 'KL07MX3003', '3 h');
      await page.getByRole('button', { name: 'Extend', exact: true }).tap();
      // 3 h + 1 h = the 4 h maximum: nothing longer is offered.
      await expect.poll(() => page.locator('.extend-chooser .duration-option').count(), { timeout: 10_000 }).toBe(2);
      await page.getByRole('button', { name: /^\+1 h ·/ }).tap();
      await page.getByRole('button', { name: /^Extend and pay/ }).tap();
      await expect
        .poll(async () => (await owner.booking.list.query({ search: booking.reference })).items[0]!.endTime, { timeout: 10_000 })
        .toBe(new Date(Date.parse(booking.endTime) + 60 * 60_000).toISOString());
      // The stay is at the maximum: no Extend, and the kiosk says why and what to do instead.
      const notice = page.getByTestId('extend-unavailable');
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.textContent()).toBe(en.booking.MAX_STAY_EXCEEDED);
      expect(await page.getByRole('button', { name: 'Extend', exact: true }).count()).toBe(0);
      // And the server refuses a further extension with that reason (staff, by the API).
      await expect(owner.booking.extend.mutate({ id: booking.id, minutes: 30 })).rejects.toThrow(/at most 4 hours/);
      await screenshot(page, 'tariff-extend-max-stay');
    } finally {
      await context.close();
    }
  });

  it("names the tariff's default stay on Renew, and refuses a renewal past the maximum stay in words", async () => {
    const slot = await freeCarSlot();
    const { context, page } = await openKiosk(browser, server.url, 'portrait');
    try {
      await bookAtKiosk(page, slot.label, 'KL07RN4004'); // 90 min (the default)
      await server.client().clock.advance.mutate({ ms: 91 * 60_000 });
      await page.getByRole('heading', { name: 'Booking expired' }).waitFor({ timeout: 10_000 });
      // What renew sells: 90 minutes at ₹60/h, not the lot's 60-minute booking length.
      await expect.poll(() => page.getByTestId('renew-hint').textContent(), { timeout: 10_000 }).toBe('Another 90 minutes on the same slot · ₹90.00');
      await screenshot(page, 'tariff-renew-hint');
      await page.getByRole('button', { name: /Renew booking/ }).tap();
      await page.getByTestId('countdown').waitFor();
      // The chain is now 181 + 90 = 271 min past its start once this one ends: over the 240 allowed.
      await server.client().clock.advance.mutate({ ms: 91 * 60_000 });
      await page.getByRole('heading', { name: 'Booking expired' }).waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: /Renew booking/ }).tap();
      const refusal = page.locator('[role="alert"][data-code="MAX_STAY_EXCEEDED"]');
      await refusal.waitFor({ timeout: 10_000 });
      expect(await refusal.textContent()).toBe(en.expired.MAX_STAY_EXCEEDED);
      await screenshot(page, 'tariff-renew-max-stay');
    } finally {
      await context.close();
    }
  });
});
