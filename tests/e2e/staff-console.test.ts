import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { createClient, startServer, type RunningServer } from '../support/server';
import { blockingViolations } from '../support/axe';

/**
 * The staff console in Chromium at 1366x768, driven with mouse and keyboard as lot staff would,
 * against the real HTTP server (test clock, demo lot, owner PIN 2468). Kiosk-side actions go
 * through the tRPC client exactly as the kiosk makes them.
 */
const staticDir = process.env.STAFF_STATIC_DIR ?? 'dist/web';
const HOUR = 3_600_000;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir }), launchBrowser()]);
  ({ context, page } = await newKioskPage(browser, 'about:blank', 'desktop'));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/#/staff`);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const kiosk = () => server.client();
const book = (slotId: number, vehicleNumber: string) => kiosk().booking.create.mutate({ slotId, vehicleNumber, bookingType: 'instant' });
const ownerClient = async () => server.client((await kiosk().auth.login.mutate({ pin: '482916' })).token);

/** Types the PIN and presses Enter once: for a PIN the console is expected to refuse. */
async function tryPin(pin: string) {
  const field = page.getByLabel('PIN');
  await expect
    .poll(async () => {
      if ((await field.inputValue()) !== pin) await field.fill(pin);
      return field.inputValue();
    })
    .toBe(pin);
  await field.press('Enter');
}

/**
 * Logs in and waits for the console's shell. Right after a logout the login screen may still be
 * settling in (re-mounted once the session query answers), which can clear a typed PIN or
 * swallow the Enter: like a person, type again and press Enter again until the shell shows.
 */
async function logIn(pin: string) {
  const field = page.getByLabel('PIN');
  const shell = page.locator('.sc-user');
  // The last session's shell stays on screen until its logout has been answered.
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await expect
    .poll(
      async () => {
        if (await shell.count()) return true;
        if ((await field.count()) === 0) return false; // between screens
        if ((await field.inputValue().catch(() => '')) !== pin) await field.fill(pin).catch(() => undefined);
        await field.press('Enter').catch(() => undefined);
        return shell
          .waitFor({ timeout: 3_000 })
          .then(() => true)
          .catch(() => false);
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true)
    .catch(async (error: unknown) => {
      await screenshot(page, 'staff-login-stuck');
      throw error;
    });
}

async function section(name: string) {
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name }).click();
}

const row = (reference: string) => page.locator(`tr[data-reference="${reference}"]`);

/** axe-core on what is on screen once it has settled (tests/support/axe.ts): no serious or critical violations. */
async function assertAccessible(screen: string) {
  expect(await blockingViolations(page), `axe on the ${screen} screen`).toEqual([]);
}

async function downloadedText(download: Download): Promise<string> {
  return readFileSync((await download.path())!, 'utf8');
}

describe('the staff console', () => {
  it('refuses a wrong PIN with its message, then logs in with the right one', async () => {
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await tryPin('419283');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That PIN is not right');
    await screenshot(page, 'staff-login');
    await logIn('482916');
    await page.getByRole('navigation', { name: 'Console sections' }).waitFor();
    await expect.poll(() => page.locator('.sc-user').textContent()).toContain('Owner');
    await page.locator('.live-on').waitFor();
  });

  let seeded: Awaited<ReturnType<typeof book>>[] = [];

  it('lists every booking with status badges, and searches and filters them', async () => {
    // An hour ago: three bookings, one with a car wash; they have completed and one was renewed.
    const earlier = [await book(7, 'KA 03 MN 7001'), await book(8, 'KA 03 MN 7002'), await book(10, 'KA 03 MN 7003')];
    await server.client(earlier[0]!.accessToken).booking.addCarWash.mutate({ id: earlier[0]!.id });
    await kiosk().clock.advance.mutate({ ms: HOUR + 60_000 });
    const renewed = await server.client(earlier[1]!.accessToken).booking.renew.mutate({ id: earlier[1]!.id });
    seeded = [await book(1, 'KA 01 AB 0001'), await book(2, 'KA-01-AB-0002'), await book(9, 'MH12CD3456'), await book(13, 'TN 22 EV 7')];
    await (await ownerClient()).booking.cancel.mutate({ id: seeded[2]!.id, reason: 'Driver asked to cancel' });

    for (const b of seeded) await row(b.reference).waitFor();
    await expect.poll(() => row(seeded[0]!.reference).locator('.badge').textContent()).toMatch(/Booked · \d+:\d\d left/);
    await expect.poll(() => row(seeded[2]!.reference).locator('.badge').textContent()).toBe('Cancelled');
    await expect.poll(() => row(earlier[2]!.reference).locator('.badge').textContent()).toBe('Completed');
    await row(renewed.newBooking.reference).waitFor();
    await screenshot(page, 'staff-bookings');
    // Every section tab and Log out are whole on a 1366 px console screen.
    const width = page.viewportSize()!.width;
    const logOut = (await page.getByRole('button', { name: 'Log out' }).boundingBox())!;
    expect(logOut.x + logOut.width).toBeLessThanOrEqual(width);
    const tabs = page.getByRole('navigation', { name: 'Console sections' }).getByRole('button');
    for (const box of await tabs.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.right).toBeLessThanOrEqual(logOut.x);
    }
    await assertAccessible('bookings');

    // Search by reference, lower-case with a hyphen as staff might type it.
    const search = page.getByLabel('Search reference or vehicle number');
    const ref = seeded[1]!.reference.toLowerCase();
    await search.fill(`${ref.slice(0, 3)}-${ref.slice(3)}`);
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(1);
    await row(seeded[1]!.reference).waitFor();
    // Search by vehicle number in another spelling.
    await search.fill('mh 12 cd 3456');
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(1);
    await row(seeded[2]!.reference).waitFor();
    await search.fill('');

    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Cancelled' }).click();
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(1);
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Slot', { exact: true }).selectOption({ label: 'E1' });
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(1);
    await row(seeded[3]!.reference).waitFor();
    await page.getByLabel('Slot', { exact: true }).selectOption({ label: 'All slots' });
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Completed' }).click();
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(3);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(8);

    // Sorting: oldest first puts the first booking on top.
    await page.getByRole('button', { name: /Booked at/ }).click();
    await expect.poll(() => page.locator('tbody tr[data-reference]').first().getAttribute('data-reference')).toBe(earlier[0]!.reference);
    await page.getByRole('button', { name: /Booked at/ }).click();

    // Pagination: 25 rows a page.
    for (let n = 0; n < 22; n += 1)
      await kiosk().booking.create.mutate({
        slotId: 14 + (n % 10),
        vehicleNumber: `DL01ZZ${1000 + n}`,
        bookingType: 'advance',
        startTime: new Date(Date.now() + (2 + Math.floor(n / 10) * 2) * HOUR).toISOString(),
      });
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(25);
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.locator('tbody tr[data-reference]').count()).toBe(5);
    await expect.poll(() => page.locator('.pager-page').textContent()).toBe('Page 2');
    await page.getByRole('button', { name: '‹ Previous' }).click();
    await expect.poll(() => page.locator('.pager-page').textContent()).toBe('Page 1');
  });

  it('shows a booking made at the kiosk live, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const fromKiosk = await book(5, 'GJ 05 KK 4242');
    await row(fromKiosk.reference).waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect.poll(() => row(fromKiosk.reference).textContent()).toContain('GJ-05-KK-4242');
  });

  it('opens a booking with its history and cancels it with a reason; the kiosk watching it hears at once', async () => {
    const driverBooking = await book(6, 'KL 08 AZ 1234');
    const driver = server.client(driverBooking.accessToken);
    await driver.booking.addCarWash.mutate({ id: driverBooking.id });
    const seen: { status: string; cancelReason: string | null }[] = [];
    // The kiosk's confirmation screen watches its booking with its access token.
    const subscription = createClient(server.url, driverBooking.accessToken).booking.watch.subscribe(
      { id: driverBooking.id },
      { onData: (b) => seen.push({ status: b.status, cancelReason: b.cancelReason }), onError: () => undefined },
    );
    try {
      await expect.poll(() => seen.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(seen.at(-1)!.status).toBe('booked');

      await row(driverBooking.reference).click();
      const drawer = page.getByRole('dialog', { name: /Booking details/ });
      await drawer.getByRole('heading', { name: driverBooking.reference }).waitFor();
      await expect.poll(() => drawer.getByRole('list', { name: 'Booking history' }).textContent()).toContain('Car wash added');
      await screenshot(page, 'staff-booking-details');

      await drawer.getByRole('button', { name: 'Cancel booking…' }).click();
      // The drawer is a dialog too now; the cancel dialog sits on top of it.
      const dialog = page.getByRole('dialog', { name: `Cancel booking ${driverBooking.reference}?` });
      await dialog.getByRole('textbox').fill('Vehicle blocking the exit lane');
      await screenshot(page, 'staff-cancel-dialog');
      await dialog.getByRole('button', { name: 'Cancel booking' }).click();
      // The kiosk's live event can arrive before the cancel's own answer closes this dialog;
      // an Escape pressed while it is still open would close it, not the drawer beneath.
      await dialog.waitFor({ state: 'detached' });

      await expect.poll(() => seen.at(-1)?.status, { timeout: 5_000 }).toBe('cancelled');
      expect(seen.at(-1)!.cancelReason).toBe('Vehicle blocking the exit lane');
      await expect
        .poll(() => drawer.getByRole('list', { name: 'Booking history' }).textContent())
        .toContain('Cancelled by staff Owner: Vehicle blocking the exit lane');
      await expect.poll(() => row(driverBooking.reference).locator('.badge').textContent()).toBe('Cancelled');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
    } finally {
      subscription.unsubscribe();
    }
  });

  it('shows the live lot map: who is in each slot and when it frees', async () => {
    await section('Lot map');
    const tile = page.locator('[data-slot="A1"]');
    await expect.poll(() => tile.textContent()).toContain('KA-01-AB-0001');
    expect(await tile.textContent()).toContain(seeded[0]!.reference);
    expect(await page.locator('[data-slot="A3"]').textContent()).toContain('Free');
    await screenshot(page, 'staff-lot-map');
    await assertAccessible('lot map');
    // A kiosk booking shows up on the map live.
    const live = await book(3, 'AP 09 XY 9999');
    await expect.poll(() => page.locator('[data-slot="A3"]').textContent(), { timeout: 5_000 }).toContain('AP-09-XY-9999');
    await page.locator('[data-slot="A3"]').click();
    await page
      .getByRole('dialog', { name: /Booking details/ })
      .getByRole('heading', { name: live.reference })
      .waitFor();
    await page.keyboard.press('Escape');
  });

  it('adds a slot, changes a price and closes a slot with a clear choice about its booking', async () => {
    await section('Slots & prices');
    const addForm = page.getByRole('form', { name: 'Add a slot' });
    await addForm.getByLabel('Label').fill('Z1');
    await addForm.getByLabel('Vehicle type').selectOption('ev');
    await addForm.getByLabel(/per hour/i).fill('75.50');
    await addForm.getByRole('button', { name: 'Add slot' }).click();
    await page.locator('tr[data-slot="Z1"]').waitFor();
    const publicSlots = await kiosk().slot.list.query({});
    expect(publicSlots.find((s) => s.label === 'Z1')).toMatchObject({ vehicleType: 'ev', hourlyPrice: 7550, available: true });

    // Price change on A4 (owner).
    await page.locator('tr[data-slot="A4"]').getByRole('button', { name: 'Edit' }).click();
    const editing = page.locator('tr.editing');
    await editing.getByLabel('Hourly price').fill('65');
    await editing.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('tr[data-slot="A4"]').textContent()).toContain('₹65.00');
    expect((await kiosk().slot.list.query({})).find((s) => s.label === 'A4')!.hourlyPrice).toBe(6500);

    // A2 has a running booking: closing it asks what to do with it.
    await page.locator('tr[data-slot="A2"]').getByRole('button', { name: 'Close' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('This slot has 1 active booking');
    await dialog.getByLabel(/Keep it running/).check();
    await screenshot(page, 'staff-close-slot');
    await dialog.getByRole('button', { name: 'Close slot' }).click();
    await expect.poll(() => page.locator('tr[data-slot="A2"]').textContent()).toContain('Maintenance');
    expect((await kiosk().slot.list.query({})).find((s) => s.label === 'A2')!.enabled).toBe(false);
    const staff = await ownerClient();
    expect((await staff.booking.get.query({ id: seeded[1]!.id })).status).toBe('booked');

    // Car wash price for the lot.
    const settings = page.getByRole('form', { name: 'Lot settings' });
    await settings.getByLabel(/Car wash price/).fill('175');
    // The lot's grace after a booking ends (issue 12, default 10 minutes) is one of its settings.
    const grace = settings.getByLabel('Grace after a booking ends (min)');
    expect(await grace.inputValue()).toBe('10');
    expect([await grace.getAttribute('min'), await grace.getAttribute('max')]).toEqual(['0', '120']);
    await grace.fill('12');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Saved.').waitFor();
    expect((await kiosk().lot.list.query())[0]).toMatchObject({ carWashPrice: 17500, graceMinutes: 12 });
    await screenshot(page, 'staff-slots');
    await assertAccessible('slots');
  });

  it('draws occupancy and revenue charts and exports the bookings as CSV', async () => {
    await section('Reports');
    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.recharts-area-area').count()).toBe(1);
    await expect.poll(() => page.locator('.kpi').first().textContent()).toMatch(/Revenue₹[1-9]/);
    await screenshot(page, 'staff-reports');
    await assertAccessible('reports');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export bookings CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^bookings-.*\.csv$/);
    const csv = await downloadedText(download);
    expect(csv.split('\r\n')[0]).toContain('reference,status,lot_id,slot,vehicle_number');
    for (const b of seeded) expect(csv).toContain(b.reference);
    expect(csv).toContain('Driver asked to cancel');
  });

  it('keeps an audit log of staff actions, viewable and exportable', async () => {
    await section('Audit log');
    for (const action of ['auth.login', 'booking.cancel', 'slot.add', 'price.slot', 'slot.disable', 'price.lot', 'export.bookings']) {
      await page.locator(`tr[data-action="${action}"]`).first().waitFor();
    }
    expect(await page.locator('tr[data-action="booking.cancel"]').first().textContent()).toContain('Vehicle blocking the exit lane');
    expect(await page.locator('tr[data-action="price.slot"]').first().textContent()).toContain('changed the price of slot A4');
    expect(await page.locator('tr[data-action="price.slot"] [data-field="changes.hourlyPrice"]').first().textContent()).toBe('Hourly price₹60.00 → ₹65.00');
    await screenshot(page, 'staff-audit');
    await assertAccessible('audit log');
    await page.getByLabel('Action').selectOption({ label: 'Price changes' });
    await expect.poll(() => page.locator('tbody tr[data-action]').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await downloadedText(download);
    expect(csv.split('\r\n')[0]).toBe('id,at_utc,who,staff_id,action,detail');
    expect(csv).toContain('price.slot');
    expect(csv).not.toContain('booking.cancel');
  });

  it('lets the owner add staff; staff see no owner tools; an expired session returns to the login', async () => {
    await section('Staff');
    const form = page.getByRole('form', { name: 'Add staff' });
    await form.getByLabel('Name').fill('Ravi');
    await form.getByLabel(/PIN/).fill('735204');
    await form.getByRole('button', { name: 'Add staff member' }).click();
    await page.locator('tr[data-staff="Ravi"]').waitFor();
    await screenshot(page, 'staff-staff');

    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn('735204');
    await expect.poll(() => page.locator('.sc-user').textContent()).toContain('Ravi');
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    expect(await nav.getByRole('button', { name: 'Staff' }).count()).toBe(0);
    await section('Slots & prices');
    expect(await page.getByRole('form', { name: 'Add a slot' }).count()).toBe(0);
    await page.locator('tr[data-slot="A5"]').getByRole('button', { name: 'Edit' }).click();
    expect(await page.locator('tr.editing').getByLabel('Hourly price').count()).toBe(0);
    await page.locator('tr.editing').getByRole('button', { name: 'Cancel' }).click();

    // Twelve hours on, the session has ended: the next call lands on the login screen.
    await kiosk().clock.advance.mutate({ ms: 13 * HOUR });
    // Expiring bookings push a change that already makes the console call in; if not, opening Reports does.
    await nav
      .getByRole('button', { name: 'Reports' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('.info-note').textContent()).toContain('session has ended');
    expect(pageErrors).toEqual([]);
  });
});

describe('first run and lock-out', () => {
  it('sets up the owner on a fresh kiosk, then locks out after repeated wrong PINs', async () => {
    const fresh = await startServer({ staticDir, env: { KIOSK_STAFF_PIN: '' } });
    const { context: ctx, page: p } = await newKioskPage(browser, `${fresh.url}/#/staff`, 'desktop');
    try {
      await p.getByRole('heading', { name: 'Set up the owner account' }).waitFor();
      await p.getByLabel('Your name').fill('Meera');
      await p.getByLabel(/Owner PIN/).fill('917364');
      await p.getByLabel('PIN again').fill('917364');
      await screenshot(p, 'staff-first-run');
      await p.getByRole('button', { name: 'Create owner and log in' }).click();
      await expect.poll(() => p.locator('.sc-user').textContent()).toContain('Meera');
      await p.getByRole('button', { name: 'Log out' }).click();
      // Wrong PINs cost growing delays (3 free, then 1 s, 2 s …): keep guessing until the console says so.
      let alert = '';
      for (let attempt = 1; attempt <= 12 && !alert.includes('Too many wrong attempts'); attempt += 1) {
        await p.getByLabel('PIN').fill(`50000${attempt % 10}`);
        await p.getByLabel('PIN').press('Enter');
        await p.getByRole('alert').waitFor();
        await p.waitForFunction(() => !(document.querySelector('button[type="submit"]') as HTMLButtonElement | null)?.textContent?.includes('Checking'));
        alert = (await p.getByRole('alert').textContent()) ?? '';
      }
      expect(alert).toContain('Too many wrong attempts');
      await screenshot(p, 'staff-login-locked');
    } finally {
      await ctx.close();
      await fresh.stop();
    }
  });
});
