import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newKioskPage, screenshot } from '../support/browser';
import type { RunningServer } from '../support/server';
import { openKiosk as openKioskPage, typeKeys, useServerAndBrowser } from '../support/kiosk-page';

/**
 * The plate safety net on the driver's kiosk (issue 13): the read-back before booking, the
 * look-alike warning with both readings, and the driver's one correction after booking.
 */

let server: RunningServer;
let browser: Browser;

useServerAndBrowser((started, chromium) => {
  [server, browser] = [started, chromium];
});

type Orientation = 'portrait' | 'landscape';
type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const openKiosk = (orientation: Orientation) => openKioskPage(browser, server.url, orientation);

/** Home → slot → vehicle screen with the plate typed. */
async function toVehicle(page: Page, slot: string, plate: string) {
  await page.getByRole('button', { name: 'Book a slot' }).tap();
  await page.locator(`[data-slot="${slot}"]`).tap();
  await page.getByRole('button', { name: `Continue with ${slot}` }).tap();
  await typeKeys(page, plate);
}

const slotId = async (label: string) => (await server.client().slot.list.query({})).find((slot) => slot.label === label)!.id;
const readback = (page: Page) => page.getByTestId('plate-readback');

describe('plate entry that prevents errors', () => {
  it.each(['portrait', 'landscape'] as const)('reads the plate back large and grouped, and asks before booking (%s)', async (orientation) => {
    const { context, page, errors } = await openKiosk(orientation);
    const [slot, plate] = orientation === 'portrait' ? ['B1', 'kl08az1234'] : ['B2', 'kl08az5678'];
    try {
      await toVehicle(page, slot, plate);
      const next = (await page.getByRole('button', { name: 'Next' }).boundingBox())!;
      await page.getByRole('button', { name: 'Next' }).tap();
      await readback(page).waitFor();
      await expect.poll(() => page.getByTestId('readback-yes').isEnabled()).toBe(true);
      expect(await page.getByRole('heading', { name: 'Is this your vehicle?' }).isVisible()).toBe(true);
      const shown = page.getByTestId('readback-plate');
      expect((await shown.locator('.big-plate').textContent())!.replace(/\s/g, '')).toBe(plate.toUpperCase());
      expect(await shown.getAttribute('data-plate')).toBe(orientation === 'portrait' ? 'KL-08-AZ-1234' : 'KL-08-AZ-5678');
      // Grouped the way plates are written: four groups, and large.
      expect(await shown.locator('.big-plate-gap').count()).toBe(3);
      expect(await shown.locator('.big-plate').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(48);
      expect(await page.getByTestId('lookalike-warning').count()).toBe(0);
      // Yes is not under the finger that pressed Next; Change (harmless) may be.
      const yes = (await page.getByTestId('readback-yes').boundingBox())!;
      expect(overlaps(next, yes), 'Yes sits where Next was').toBe(false);
      await screenshot(page, `kiosk-plate-readback-${orientation}`);

      // Change goes back to the keyboard with the plate kept; nothing is booked.
      await page.getByTestId('readback-change').tap();
      await readback(page).waitFor({ state: 'detached' });
      expect(await page.locator('#vehicle-number').inputValue()).toBe(plate.toUpperCase().replace(/ /g, ''));
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap();
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      const book = (await page.getByRole('button', { name: 'Book Selected Slot' }).boundingBox())!;
      expect(overlaps(yes, book), 'Book sits where Yes was').toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each(['portrait', 'landscape'] as const)(
    'warns about a look-alike of a plate seen here recently, and books the reading the driver picks (%s)',
    async (orientation) => {
      // A driver parked here earlier today as KL-07-CD-4321 (and left).
      const seen = orientation === 'portrait' ? 'KL07CD4321' : 'KL07CD8765';
      const earlier = await server
        .client()
        .booking.create.mutate({ slotId: await slotId(orientation === 'portrait' ? 'A1' : 'A2'), vehicleNumber: seen, bookingType: 'instant' });
      await server.client(earlier.accessToken).booking.cancel.mutate({ id: earlier.id });
      const { context, page, errors } = await openKiosk(orientation);
      try {
        // Typed with an I for the last 1 (or a B for the 8).
        const typed = orientation === 'portrait' ? 'KL07CD432I' : 'KL07CD B765';
        await toVehicle(page, orientation === 'portrait' ? 'A3' : 'A4', typed);
        await page.getByRole('button', { name: 'Next' }).tap();
        const warning = page.getByTestId('lookalike-warning');
        await warning.waitFor();
        await expect.poll(() => warning.textContent()).toContain('A vehicle with the other reading parked here recently');
        const options = warning.locator('.lookalike-option');
        expect(await options.count()).toBe(2);
        const readings = await options.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-plate')));
        const seenNormalized = orientation === 'portrait' ? 'KL-07-CD-4321' : 'KL-07-CD-8765';
        expect(readings).toContain(seenNormalized);
        // The differing character is marked on both readings.
        expect(await warning.locator('.big-plate-char.marked').count()).toBe(2);
        await screenshot(page, `kiosk-plate-lookalike-${orientation}`);

        await warning.locator(`[data-plate="${seenNormalized}"]`).tap();
        await expect.poll(() => page.getByTestId('readback-plate').getAttribute('data-plate')).toBe(seenNormalized);
        await page.getByTestId('readback-yes').tap();
        await page.getByRole('heading', { name: 'Check and book' }).waitFor();
        await expect.poll(() => page.locator('.summary-card').textContent()).toContain(seenNormalized);
        await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
        await page.getByTestId('countdown').waitFor();
        await expect.poll(() => page.locator('.booking-details').textContent()).toContain(seenNormalized);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it('lets the driver correct the plate within the window, once, with the keyboard and the read-back', async () => {
    const { context, page, errors } = await openKiosk('portrait');
    try {
      await toVehicle(page, 'A5', 'MH12AB1111');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap();
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      const fix = page.getByTestId('plate-fix');
      await expect.poll(() => fix.textContent()).toBe('Wrong plate? Correct it (5 min left)');
      await screenshot(page, 'kiosk-plate-correct-link-portrait');
      await fix.tap();
      const sheet = page.getByTestId('plate-correction');
      await sheet.waitFor();
      await sheet.locator('.plate-keyboard [data-skbtn="{clear}"]').tap();
      for (const char of 'MH12AB1171') await sheet.locator(`.plate-keyboard [data-skbtn="${char}"]`).tap();
      await page.getByTestId('correction-next').tap();
      await expect.poll(() => page.getByTestId('readback-plate').getAttribute('data-plate')).toBe('MH-12-AB-1171');
      await page.getByTestId('readback-yes').tap();
      await page.getByTestId('plate-corrected').waitFor();
      expect(await page.getByTestId('plate-corrected').textContent()).toBe('Vehicle number corrected to MH 12 AB 1171.');
      await expect.poll(() => page.locator('.booking-details').textContent()).toContain('MH-12-AB-1171');
      // Once only: the link is gone, and the server agrees.
      expect(await fix.count()).toBe(0);
      const reference = (await page.getByTestId('reference').textContent())!;
      const owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
      const [booking] = (await owner.booking.list.query({ search: reference })).items;
      expect(booking!.vehicleNumber).toBe('MH-12-AB-1171');
      expect(booking!.plateCorrectableUntil).toBeNull();
      const history = await owner.bookingAdmin.history.query({ id: booking!.id });
      expect(history.events.map((e) => e.text)).toContain('Plate corrected from MH-12-AB-1111 to MH-12-AB-1171 by the driver');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets staff correct a plate from the booking drawer with a reason, audited and in the history', async () => {
    const made = await server.client().booking.create.mutate({ slotId: await slotId('A6'), vehicleNumber: 'TN09BZ7000', bookingType: 'instant' });
    const { context, page } = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    try {
      const field = page.getByLabel('PIN');
      await expect
        .poll(async () => {
          if ((await field.inputValue()) !== '482916') await field.fill('482916');
          return field.inputValue();
        })
        .toBe('482916');
      await field.press('Enter');
      await page.locator(`tr[data-reference="${made.reference}"]`).click();
      const drawer = page.getByRole('dialog', { name: /Booking details/ });
      await drawer.getByRole('button', { name: 'Correct plate…' }).click();
      const dialog = page.getByRole('dialog', { name: `Correct the plate of ${made.reference}` });
      await dialog.getByLabel('Correct plate').fill('TN09BZ7001');
      // No reason, no correction.
      expect(await dialog.getByRole('button', { name: 'Correct plate', exact: true }).isDisabled()).toBe(true);
      await dialog.getByLabel('Reason').fill('Plate checked at the vehicle');
      await screenshot(page, 'staff-correct-plate');
      await dialog.getByRole('button', { name: 'Correct plate', exact: true }).click();
      await expect
        .poll(() => drawer.getByRole('list', { name: 'Booking history' }).textContent())
        .toContain('Plate corrected from TN-09-BZ-7000 to TN-09-BZ-7001 by staff Owner: Plate checked at the vehicle');
      const owner = server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
      const audit = await owner.audit.list.query({});
      expect(JSON.stringify(audit)).toContain('booking.correct_plate');
    } finally {
      await context.close();
    }
  });
});
