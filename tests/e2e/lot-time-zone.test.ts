import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, VIEWPORTS } from '../support/browser';
import type { RunningServer } from '../support/server';
import { typeKeys, useServerAndBrowser } from '../support/kiosk-page';

/**
 * The kiosk shows the LOT's clock, not the device's: the browser here runs in Los Angeles
 * (13 h 30 min behind the demo lot's Asia/Kolkata), and every time on screen (the top clock,
 * the end time, the grace note, the extend options, the Advance picker) must read Kolkata
 * time, and an Advance start picked as "Tomorrow HH:MM" must be HH:MM tomorrow in Kolkata.
 */
const LOT_ZONE = 'Asia/Kolkata';
const DEVICE_ZONE = 'America/Los_Angeles';

let server: RunningServer;
let browser: Browser;

useServerAndBrowser((started, chromium) => {
  [server, browser] = [started, chromium];
});

const clock = (zone: string, iso: string | number) =>
  new Intl.DateTimeFormat('en-IN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(iso));
const date = (zone: string, ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

async function openKiosk() {
  const context = await browser.newContext({ viewport: VIEWPORTS.portrait, hasTouch: true, locale: 'en-US', timezoneId: DEVICE_ZONE });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Book a slot' }).waitFor();
  // The browser really is in the other zone (so the test can fail).
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(DEVICE_ZONE);
  return { context, page };
}

async function toPlateEntry(page: Page, label: string, plate: string) {
  await page.getByRole('button', { name: 'Book a slot' }).tap();
  await page.locator(`[data-slot="${label}"]`).tap();
  await page.getByRole('button', { name: `Continue with ${label}` }).tap();
  await typeKeys(page, plate);
}

const tariff = {
  schemaVersion: 1,
  currency: 'INR',
  stepMinutes: 15,
  minimumCharge: 0,
  dailyCap: null,
  maxStayMinutes: 240,
  durations: { minMinutes: 30, maxMinutes: 180, stepMinutes: 30, defaultMinutes: 60 },
  graceMinutes: 10,
  rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000, label: 'per hour' }] }],
};

describe("the kiosk shows the lot's time zone, not the device's", () => {
  it('shows the end time, grace, extend options and the top clock on the lot clock', async () => {
    const owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
    await owner.tariff.save.mutate({ document: tariff as never });
    expect((await server.client().lot.list.query())[0]!.timeZone).toBe(LOT_ZONE);
    const slot = (await server.client().slot.list.query({})).find((candidate) => candidate.vehicleType === 'car' && candidate.available)!;

    const { context, page } = await openKiosk();
    try {
      const serverNow = Date.parse((await server.client().clock.now.query()).now);
      // The top clock: the lot's minute (allowing for a minute ticking over meanwhile), never the device's.
      const shownClock = (await page.locator('.top-clock').textContent())!;
      expect([clock(LOT_ZONE, serverNow), clock(LOT_ZONE, serverNow + 60_000)]).toContain(shownClock);
      expect(shownClock).not.toBe(clock(DEVICE_ZONE, serverNow));

      await toPlateEntry(page, slot.label, 'KL07TZ5530');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap();
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      const reference = (await page.getByTestId('reference').textContent())!;
      const [booking] = (await owner.booking.list.query({ search: reference })).items;
      expect(booking?.reference).toBe(reference);

      const until = page.locator('.summary-row', { hasText: 'Until' }).locator('dd');
      await expect.poll(() => until.textContent()).toBe(clock(LOT_ZONE, booking!.endTime));
      expect(clock(LOT_ZONE, booking!.endTime)).not.toBe(clock(DEVICE_ZONE, booking!.endTime));
      const graceEnd = Date.parse(booking!.endTime) + 10 * 60_000;
      await expect.poll(() => page.getByTestId('grace-note').textContent()).toContain(clock(LOT_ZONE, graceEnd));

      await page.getByRole('button', { name: 'Extend', exact: true }).tap();
      const plus30 = Date.parse(booking!.endTime) + 30 * 60_000;
      await expect.poll(() => page.getByRole('button', { name: /^\+30 min ·/ }).textContent()).toContain(clock(LOT_ZONE, plus30));
      await screenshot(page, 'lot-zone-extend-in-other-device-zone');
    } finally {
      await context.close();
    }
  });

  it("books Advance for the picked wall-clock time on the lot's next day", async () => {
    const slot = (await server.client().slot.list.query({})).find((candidate) => candidate.vehicleType === 'car' && candidate.available)!;
    const { context, page } = await openKiosk();
    try {
      await toPlateEntry(page, slot.label, 'KL07TZ1234');
      await page.getByRole('button', { name: /^Later/ }).tap();
      await page.getByRole('button', { name: 'Tomorrow' }).tap();
      const picked = (await page.locator('.time-value').textContent())!;
      await screenshot(page, 'lot-zone-advance-picker');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap();
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      const reference = (await page.getByTestId('reference').textContent())!;
      const owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
      const [booking] = (await owner.booking.list.query({ search: reference })).items;
      const start = Date.parse(booking!.startTime);
      const serverNow = Date.parse((await server.client().clock.now.query()).now);

      // The start is the picked time on the lot's clock, on the lot's tomorrow.
      expect(clock(LOT_ZONE, start)).toBe(picked);
      const lotToday = date(LOT_ZONE, serverNow);
      const lotTomorrow = date(LOT_ZONE, Date.parse(`${lotToday}T12:00:00Z`) + 24 * 3_600_000);
      expect(date(LOT_ZONE, start)).toBe(lotTomorrow);
      // And the confirmation says it in lot time too.
      await expect.poll(() => page.locator('.summary-row', { hasText: 'From' }).locator('dd').textContent()).toContain(picked);
    } finally {
      await context.close();
    }
  });
});
