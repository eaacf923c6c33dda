import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

/**
 * A real lot from an EMPTY database (no --demo, no KIOSK_STAFF_PIN): the owner account, the lot
 * wizard, its slots, then the kiosk shows the lot and books; then the console's Settings,
 * Backups (create, download, restore after a warning), the audit log in words, the lot-clock
 * reports and the booking drawer as a dialog. Chromium at 1366x768, as lot staff would use it.
 */
const staticDir = process.env.STAFF_STATIC_DIR ?? 'dist/web';
const PIN = '482916';
const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir, demo: false, env: { KIOSK_STAFF_PIN: '' } }), launchBrowser()]);
  ({ context, page } = await newKioskPage(browser, 'about:blank', 'desktop'));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/#/staff`);
});
// A failing step leaves a picture of what staff would have seen.
afterEach(async (test) => {
  if (test.task.result?.state === 'fail') await screenshot(page, `failed-lot-setup-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const kiosk = () => server.client();
const ownerClient = async () => server.client((await kiosk().auth.login.mutate({ pin: PIN })).token);
const section = (name: string) => page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name }).click();
const lotDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

/** Taps until `next` shows: a kiosk may ignore a tap that lands right after its screen appears. */
async function tapUntil(target: Locator, next: Locator) {
  await expect
    .poll(
      async () => {
        if (await next.isVisible()) return true;
        await target.tap({ timeout: 2_000 }).catch(() => undefined);
        return next.isVisible();
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

describe('first run without the demo', () => {
  it('creates the owner, then the lot wizard asks for the lot', async () => {
    await page.getByRole('form', { name: 'First-run setup' }).waitFor();
    await page.getByLabel('Your name').fill('Anita');
    await page.getByLabel(/^Owner PIN/).fill(PIN);
    await page.getByLabel('PIN again').fill(PIN);
    await page.getByLabel('PIN again').press('Enter');
    const form = page.getByRole('form', { name: 'Set up your lot' });
    await form.waitFor();
    // Defaults: the machine's zone (the test browser runs in UTC), 60 minutes, 150.00 car wash.
    expect(await form.getByLabel('Time zone').inputValue()).toBe('UTC');
    expect(await form.getByLabel('Booking length (minutes)').inputValue()).toBe('60');
    expect(await form.getByLabel(/Car wash price/).inputValue()).toBe('150.00');
    // Not "Loading the lot…" forever, and no sections until the lot exists.
    expect(await page.getByText('Loading the lot…').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Console sections' }).count()).toBe(0);
  });

  it('refuses an unknown time zone, then creates the lot', async () => {
    const form = page.getByRole('form', { name: 'Set up your lot' });
    await form.getByLabel('Lot name').fill('Fort Kochi Parking');
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await form.getByLabel('Booking length (minutes)').fill('90');
    await form.getByLabel(/Car wash price/).fill('120.50');
    await form.getByRole('button', { name: 'Create the lot' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('“Mars/Olympus” is not a time zone');
    await form.getByLabel('Time zone').fill(ZONE);
    await screenshot(page, 'staff-setup-lot');
    await form.getByRole('button', { name: 'Create the lot' }).click();
    await page.getByRole('heading', { name: 'Add the slots' }).waitFor();
    const [lot] = await kiosk().lot.list.query();
    expect(lot).toMatchObject({ name: 'Fort Kochi Parking', currency: 'INR', timeZone: ZONE, bookingMinutes: 90, carWashPrice: 12_050, totalSlots: 0 });
  });

  it('adds rows of slots at once, refuses a clash, and lands in the console', async () => {
    const form = page.getByRole('form', { name: 'Add a row of slots' });
    await form.getByLabel('Slot labels').fill('A1–A12');
    await expect.poll(() => page.getByTestId('slot-row-preview').textContent()).toBe('12 slots: A1, A2, A3 … A11, A12');
    await form.getByLabel(/Hourly price/).fill('60');
    await form.getByRole('button', { name: 'Add these slots' }).click();
    await form.getByText('Added 12 slots.').waitFor();
    await form.getByLabel('Slot labels').fill('M1, M2, M3');
    await form.getByLabel('Vehicle type').selectOption({ label: 'Bike' });
    await form.getByLabel(/Hourly price/).fill('20');
    await form.getByRole('button', { name: 'Add these slots' }).click();
    await form.getByText('Added 3 slots.').waitFor();
    await expect
      .poll(() => page.getByRole('region', { name: 'Slots so far' }).or(page.locator('[aria-label="Slots so far"]')).first().textContent())
      .toContain('15 slots');
    // A row that clashes with existing labels adds nothing and names the clash.
    await form.getByLabel('Slot labels').fill('A12-A14');
    await form.getByRole('button', { name: 'Add these slots' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('The lot already has slot A12.');
    expect((await kiosk().slot.list.query({})).length).toBe(15);
    await form.getByLabel('Slot labels').fill('');
    await screenshot(page, 'staff-setup-slots');
    await page.getByRole('button', { name: 'Finish and open the console' }).click();
    await page.getByRole('navigation', { name: 'Console sections' }).waitFor();
    await expect.poll(() => page.locator('.sc-brand strong').textContent()).toBe('Fort Kochi Parking');
  });

  it('the kiosk shows the new lot and books a slot on it', async () => {
    const { context: kioskContext, page: kioskPage } = await newKioskPage(browser, server.url, 'portrait');
    try {
      await expect.poll(() => kioskPage.getByRole('heading', { level: 1 }).textContent()).toBe('Fort Kochi Parking');
      await expect.poll(() => kioskPage.getByText('15 of 15 free').count()).toBe(1);
      await tapUntil(kioskPage.getByRole('button', { name: 'Book a slot' }), kioskPage.locator('[data-slot="A3"]'));
      await tapUntil(kioskPage.locator('[data-slot="A3"]'), kioskPage.getByRole('button', { name: 'Continue with A3' }));
      await tapUntil(kioskPage.getByRole('button', { name: 'Continue with A3' }), kioskPage.locator('.plate-keyboard'));
      for (const key of 'KL07AB1234') await kioskPage.locator(`.plate-keyboard [data-skbtn="${key}"]`).tap();
      await tapUntil(kioskPage.getByRole('button', { name: 'Next' }), kioskPage.getByTestId('plate-readback'));
      await tapUntil(kioskPage.getByTestId('readback-yes'), kioskPage.getByRole('heading', { name: 'Check and book' }));
      await tapUntil(kioskPage.getByRole('button', { name: 'Book Selected Slot' }), kioskPage.getByTestId('reference'));
      const reference = (await kioskPage.getByTestId('reference').textContent())!;
      const [booking] = (await (await ownerClient()).booking.list.query({ search: reference })).items;
      // 90 minutes at 60.00 an hour.
      expect({ slot: booking!.slotLabel, vehicle: booking!.vehicleNumber.replace(/[^A-Z0-9]/g, ''), price: booking!.price }).toEqual({
        slot: 'A3',
        vehicle: 'KL07AB1234',
        price: 9_000,
      });
    } finally {
      await kioskContext.close();
    }
  });
});

describe('the console of a real lot', () => {
  it('keeps the lot name and settings editable under Settings', async () => {
    await section('Settings');
    const form = page.getByRole('form', { name: 'Settings' });
    await form.getByLabel('Lot name').fill('Fort Kochi Beach Parking');
    await form.getByLabel(/Car wash price/).fill('175');
    // The lot already has a booking, so its currency is fixed.
    expect(await form.getByLabel('Currency').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.sc-brand strong').textContent()).toBe('Fort Kochi Beach Parking');
    expect((await kiosk().lot.list.query())[0]).toMatchObject({ name: 'Fort Kochi Beach Parking', carWashPrice: 17_500, timeZone: ZONE });
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'staff-settings');
  });

  it('takes, lists, downloads and (after a warning) restores backups', async () => {
    await section('Backups');
    await page.getByRole('button', { name: 'Back up now' }).click();
    const manual = page.locator('tr[data-kind="manual"]');
    await manual.first().waitFor();
    const name = (await manual.first().getAttribute('data-backup'))!;

    const [download] = await Promise.all([page.waitForEvent('download'), manual.first().getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe(name);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const listed = (await (await ownerClient()).backup.list.query()).backups.find((b) => b.name === name)!;
    expect(bytes.length).toBe(listed.bytes);

    // A booking made after the backup; restoring the backup takes it away again.
    const slots = await kiosk().slot.list.query({});
    const later = await kiosk().booking.create.mutate({ slotId: slots.find((s) => s.label === 'A7')!.id, vehicleNumber: 'KL07XY9999', bookingType: 'instant' });
    await manual.first().getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Everything recorded after .* will be replaced by this backup/);
    await screenshot(page, 'staff-backups-restore');
    // Backing out changes nothing.
    await dialog.getByRole('button', { name: 'Keep the current data' }).click();
    expect((await (await ownerClient()).booking.get.query({ id: later.id })).status).toBe('booked');
    await manual.first().getByRole('button', { name: 'Restore…' }).click();
    await dialog.getByRole('button', { name: 'Yes, restore this backup' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Restored' }).count()).toBe(1);
    await expect(kiosk().booking.find.mutate({ reference: later.reference, vehicleNumber: 'KL07XY9999' })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await page.locator('tr[data-kind="pre-restore"]').first().waitFor();
    await screenshot(page, 'staff-backups');
  });

  it('shows the audit log in words, with a failed login coloured as a failure', async () => {
    await kiosk()
      .auth.login.mutate({ pin: '000000' })
      .catch(() => undefined);
    await section('Audit log');
    const failed = page.locator('tr[data-action="auth.login_failed"]').first();
    await failed.waitFor();
    expect(await failed.textContent()).toContain('Someone tried a wrong PIN');
    expect(await failed.getAttribute('class')).toContain('audit-failure');
    expect(await failed.locator('.action').getAttribute('class')).toContain('action-failed');
    const ok = page.locator('tr[data-action="auth.login"]').first();
    expect(await ok.locator('.action').getAttribute('class')).not.toContain('action-failed');
    expect(await page.locator('tr[data-action="lot.create"]').textContent()).toContain('Anita created the lot Fort Kochi Parking');
    expect(await page.locator('tr[data-action="slot.addMany"]').first().textContent()).toContain('Anita added 3 slots, M1 to M3');
    const settings = page.locator('tr[data-action="price.lot"]').first();
    expect(await settings.textContent()).toContain('Anita changed the lot prices');
    expect(await settings.locator('[data-field="changes.carWashPrice"]').textContent()).toBe('Car wash price₹120.50 → ₹175.00');
    expect(await settings.locator('[data-field="changes.name"]').textContent()).toBe('NameFort Kochi Parking → Fort Kochi Beach Parking');
    // No raw codes or JSON anywhere in the table.
    const table = (await page.getByRole('table', { name: 'Audit log' }).textContent())!;
    expect(table).not.toMatch(/[{}"]|auth\.login|slot\.addMany/);
    await screenshot(page, 'staff-audit-first-run');
  });

  it('reports on the lot clock, with one label per day on the occupancy axis', async () => {
    // Three days on: the server's date is then not this browser's date (old code used the latter).
    const { now } = await kiosk().clock.advance.mutate({ ms: 3 * DAY });
    // That also ends the 12-hour staff session: log in again, as staff would.
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 90_000 });
    await page.getByLabel('PIN').fill(PIN);
    await page.getByLabel('PIN').press('Enter');
    await section('Reports');
    const today = lotDate(Date.parse(now));
    await expect.poll(() => page.getByLabel('Report to').inputValue(), { timeout: 20_000 }).toBe(today);
    expect(await page.getByLabel('Report from').inputValue()).toBe(lotDate(Date.parse(now) - 6 * DAY));
    const ticks = page.locator('figure[aria-label="Occupancy by hour"] .recharts-cartesian-axis-tick-value');
    const dayLabels = async () => (await ticks.allTextContents()).filter((text) => !text.includes('%'));
    await expect.poll(async () => (await dayLabels()).length).toBeGreaterThan(3);
    const labels = await dayLabels();
    expect(labels.length).toBe(7);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('opens a booking as a modal dialog that takes focus and closes with Escape', async () => {
    await section('Bookings');
    const row = page.locator('tbody tr[data-reference]').first();
    await row.waitFor();
    await row.click();
    const drawer = page.getByRole('dialog', { name: /Booking details/ });
    await drawer.waitFor();
    expect(await drawer.getAttribute('aria-modal')).toBe('true');
    await expect.poll(() => drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    // Tab stays inside the dialog.
    for (let i = 0; i < 6; i += 1) await page.keyboard.press('Tab');
    expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
