import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import { openKiosk as openKioskPage, typeKeys } from '../support/kiosk-page';

/**
 * Slot holds (issue 13) in Chromium: the slot one kiosk's driver chose waits for them while
 * they type, another kiosk sees it "Being booked" and cannot book it, and Back lets it go.
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
});

const openKiosk = async (orientation: 'portrait' | 'landscape' = 'portrait') =>
  (await openKioskPage(browser, server.url, orientation, { errors: pageErrors })).page;

const heldOnServer = async (label: string) => (await server.client().slot.list.query({ lotId: 1 })).find((slot) => slot.label === label)!.heldUntil;
const reasonOf = (error: unknown) => (error as { data?: { reason?: string } }).data?.reason;

describe('slot holds at the kiosk', () => {
  it('kiosk A holds its chosen slot; another page sees "Being booked" and cannot book it; Back frees it', async () => {
    const a = await openKiosk();
    await a.getByRole('button', { name: 'Book a slot' }).tap();
    await a.locator('[data-slot="A2"]').tap();
    await expect.poll(() => a.locator('[data-slot="A2"]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => heldOnServer('A2'), { timeout: 15_000 }).not.toBeNull();
    // The holder still sees it as its own choice, not "being booked".
    await expect.poll(() => a.locator('[data-slot="A2"] .slot-state').textContent()).toBe('Free');

    const b = await openKiosk();
    await b.getByRole('button', { name: 'Book a slot' }).tap();
    const held = b.locator('[data-slot="A2"]');
    await expect.poll(() => held.locator('.slot-state').textContent(), { timeout: 15_000 }).toBe('Being booked');
    expect(await held.getAttribute('aria-disabled')).toBe('true');
    await held.tap({ force: true }); // a driver may still tap it: nothing happens
    expect(await held.getAttribute('aria-pressed')).toBe('false');
    expect(await b.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(b, 'kiosk-slots-held-portrait');
    const wide = await openKiosk('landscape');
    await wide.getByRole('button', { name: 'Book a slot' }).tap();
    await expect.poll(() => wide.locator('[data-slot="A2"] .slot-state').textContent(), { timeout: 15_000 }).toBe('Being booked');
    await screenshot(wide, 'kiosk-slots-held-landscape');
    await wide.context().close();

    // Nor can anyone book it behind the screens' backs: the API gets CONFLICT / SLOT_HELD.
    const refused = await server
      .client()
      .booking.create.mutate({ slotId: 2, vehicleNumber: 'KA01HH0002', bookingType: 'instant' })
      .then(
        () => 'booked',
        (error) => reasonOf(error),
      );
    expect(refused).toBe('SLOT_HELD');

    // The console's lot map shows it too.
    const { page: staff } = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    await staff.getByLabel('PIN').fill('482916');
    await staff.getByLabel('PIN').press('Enter');
    await staff.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Lot map' }).click();
    await expect.poll(() => staff.locator('[data-slot="A2"]').textContent(), { timeout: 15_000 }).toContain('Being booked');
    await screenshot(staff, 'staff-lot-map-held');
    await staff.context().close();

    // A goes on to its plate and back to the map (still its choice), then Back to the start: released.
    await a.getByRole('button', { name: 'Continue with A2' }).tap();
    await typeKeys(a, 'KA01HH0001');
    await a.getByRole('button', { name: 'Back' }).tap();
    await expect.poll(() => a.locator('[data-slot="A2"]').getAttribute('aria-pressed')).toBe('true');
    expect(await heldOnServer('A2')).not.toBeNull();
    await a.getByRole('button', { name: 'Back' }).tap();
    await a.getByRole('button', { name: 'Book a slot' }).waitFor();
    await expect.poll(() => heldOnServer('A2'), { timeout: 15_000 }).toBeNull();
    await expect.poll(() => held.locator('.slot-state').textContent(), { timeout: 15_000 }).toBe('Free');
    await held.tap();
    await expect.poll(() => held.getAttribute('aria-pressed')).toBe('true');
    await b.context().close();
    await a.context().close();
  });

  it("the holder books its held slot: the booking takes the hold's place", async () => {
    const a = await openKiosk();
    await a.getByRole('button', { name: 'Book a slot' }).tap();
    await a.locator('[data-slot="A3"]').tap();
    await expect.poll(() => heldOnServer('A3'), { timeout: 15_000 }).not.toBeNull();
    await a.getByRole('button', { name: 'Continue with A3' }).tap();
    await typeKeys(a, 'KA01HH0003');
    await a.getByRole('button', { name: 'Next' }).tap();
    await a.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
    await a.getByRole('button', { name: 'Book Selected Slot' }).tap();
    await a.getByTestId('countdown').waitFor({ timeout: 15_000 });
    const slot = (await server.client().slot.list.query({ lotId: 1 })).find((s) => s.label === 'A3')!;
    expect(slot).toMatchObject({ occupied: true, heldUntil: null });
    await a.context().close();
    expect(pageErrors).toEqual([]);
  });

  it('touches renew the hold; a hold that ran out is told at booking when someone else has the slot', async () => {
    const a = await openKiosk();
    await a.getByRole('button', { name: 'Book a slot' }).tap();
    await a.locator('[data-slot="A5"]').tap();
    await expect.poll(() => heldOnServer('A5'), { timeout: 15_000 }).not.toBeNull();
    const placed = Date.parse((await heldOnServer('A5'))!);
    // The kiosk renews at most every 20 s (server clock) of the driver's activity: once the kiosk
    // has heard that 21 s passed (the next push), a touch moves the expiry on.
    await server.client().clock.advance.mutate({ ms: 21_000 });
    await expect
      .poll(
        async () => {
          await a.getByRole('button', { name: 'All', exact: true }).tap();
          return Date.parse((await heldOnServer('A5'))!);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(placed);

    // Past its 10-minute lifetime the hold is gone; another driver (over the API) holds the slot.
    const { now } = await server.client().clock.advance.mutate({ ms: 11 * 60_000 });
    const other = await server.client().slot.hold.mutate({ slotId: 5 });
    // The next touch renews once the kiosk has heard the server's new time (its clock shows it).
    const lotClock = (ms: number) =>
      new Intl.DateTimeFormat('en-IN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Kolkata' }).format(ms);
    await expect
      .poll(() => a.locator('.top-clock').textContent(), { timeout: 30_000 })
      .toBeOneOf([lotClock(Date.parse(now)), lotClock(Date.parse(now) + 60_000)]);
    await a.getByRole('button', { name: 'Continue with A5' }).tap(); // this touch's renewal finds the hold gone
    await typeKeys(a, 'KA01HH0005');
    await a.getByRole('button', { name: 'Next' }).tap();
    await a.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
    await a.getByText(/Your hold on slot A5 ran out/).waitFor({ timeout: 15_000 });
    await server.client().slot.releaseHold.mutate({ holdToken: other.holdToken });
    await a.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
