import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkStatus } from '../../electron/core/leases/link-status';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { bookThroughUi } from '../support/kiosk-page';
import { freePort, pairSatellite, readHub, startSatellite } from '../support/satellites';
import { startServer, tempDbFile, type RunningServer } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';

/**
 * Issue 14 at the driver's screen: a satellite kiosk (real hub and satellite processes, a TCP
 * proxy between them) loses the hub, and a driver books one of its leased slots through the
 * touch screen, sees the confirmation with its countdown, cancels, books again; the link comes
 * back and the sale is at the hub, once. Opened while off line, the kiosk's screen still works
 * from the satellite's journal and the lot details the hub gave last.
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

let hub: RunningServer;
let sat: RunningServer;
let proxy: TcpProxy;
let browser: Browser;
let dbFile: string;

const status = () => sat.client().link.status.query() as Promise<LinkStatus>;

beforeAll(async () => {
  dbFile = tempDbFile('hub');
  const port = await freePort();
  [hub, browser] = await Promise.all([startServer({ dbFile, staticDir, args: ['--port', String(port)] }), launchBrowser()]);
  proxy = await startTcpProxy(port);
  const pairing = pairSatellite(dbFile, 'gate-b', proxy.url);
  sat = await startSatellite({ hubUrl: proxy.url, dataDir: pairing.dataDir, hubHost: `127.0.0.1:${port}`, env: {} });
  await waitFor(async () => ((s) => s.state === 'online' && s.leasedSlotIds.length === 2)(await status()), {
    what: 'the satellite on line with its leases',
    timeout: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sat?.stop();
  await hub?.stop();
  await proxy?.close();
});

describe('a driver at a satellite kiosk while the hub is out of reach', () => {
  it('books a leased slot on the touch screen, cancels, books again; healed, the hub has the sale once', async () => {
    proxy.set('blackhole');
    await waitFor(async () => (await status()).state === 'offline-leases', { what: 'the satellite off line on its leases' });
    const leased = (await status()).leasedSlotIds;
    const slots = (await sat.client().slot.list.query({})) as unknown as { id: number; label: string; available: boolean }[];
    const [first, second] = leased.map((id) => slots.find((slot) => slot.id === id)!.label);
    // Opened while off line: the screen comes up from what the satellite keeps.
    const { context, page } = await newKioskPage(browser, `${sat.url}/`, 'landscape');
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      const banner = page.getByTestId('link-banner');
      await expect.poll(async () => (await banner.textContent()) ?? '').toContain('This kiosk is offline');
      expect(await page.getByTestId('offline-banner').count(), 'no "no connection" banner: the kiosk answers').toBe(0);

      const reference = await bookThroughUi(page, first!, 'KL01SO1001');
      expect(await page.getByTestId('countdown').textContent()).toMatch(/^(01:00:00|00:5\d:\d\d)$/);
      // No car wash to sell and no signed receipt yet off line: the screen says so, and offers none.
      expect(await page.locator('.reference-note').textContent()).toBe('Note it down. Your signed receipt is made when this kiosk is back online.');
      expect(await page.getByRole('button', { name: /Add Car Wash/ }).count()).toBe(0);
      await screenshot(page, 'satellite-offline-booked');
      // The driver changes their mind: cancelled in the satellite's journal.
      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await page.getByRole('button', { name: 'Yes, cancel it' }).tap();
      await page.getByRole('heading', { name: 'Booking cancelled' }).waitFor();
      await page.getByRole('button', { name: 'Exit' }).tap();
      const kept = await bookThroughUi(page, second!, 'KL01SO1002');
      expect(kept).not.toBe(reference);
      await page.getByRole('button', { name: 'Done' }).tap();
      // Off line the other slots are not sold here.
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      // A slot the hub has free that this kiosk does not hold (the hub's own map says which).
      const atHubNow = await hub.client().slot.list.query({});
      const other = atHubNow.find((slot) => slot.available && !leased.includes(slot.id))!;
      expect(await page.locator(`[data-slot="${other.label}"]`).getAttribute('aria-disabled')).toBe('true');

      // The link returns with the map on screen: the journal replays and the screen is the hub's
      // again, the open map included (its live stream now comes from the hub).
      proxy.set('pass');
      await waitFor(async () => ((s) => s.state === 'online' && s.journalBacklog === 0)(await status()), { what: 'replayed and on line', timeout: 60_000 });
      await expect.poll(async () => page.getByTestId('link-banner').count(), { timeout: 20_000 }).toBe(0);
      // Free at the hub means leased to no kiosk, so the journal's view would show it disabled.
      const freeAtHub = (await hub.client().slot.list.query({})).find((slot) => slot.available)!;
      await expect.poll(async () => page.locator(`[data-slot="${freeAtHub.label}"]`).getAttribute('aria-disabled'), { timeout: 20_000 }).not.toBe('true');
      await page.getByRole('button', { name: 'Back' }).tap();
      const atHub = readHub(dbFile, (db) =>
        db.prepare("SELECT vehicle_number AS plate, status FROM bookings WHERE vehicle_number LIKE 'KL-01-SO-%' ORDER BY vehicle_number").all(),
      );
      expect(atHub).toEqual([
        { plate: 'KL-01-SO-1001', status: 'cancelled' },
        { plate: 'KL-01-SO-1002', status: 'booked' },
      ]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('keeps a confirmation left open across the heal working: the screen follows the sale to the hub, and its cancel is the hub’s', async () => {
    proxy.set('blackhole');
    await waitFor(async () => (await status()).state === 'offline-leases', { what: 'the satellite off line on its leases' });
    const slots = (await sat.client().slot.list.query({})) as unknown as { id: number; label: string; available: boolean }[];
    const free = slots.find((slot) => slot.available)!;
    const { context, page } = await newKioskPage(browser, `${sat.url}/`, 'landscape');
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      const reference = await bookThroughUi(page, free.label, 'KL01SO1003');
      // The driver is still reading the confirmation when the link comes back.
      proxy.set('pass');
      await waitFor(async () => ((s) => s.state === 'online' && s.journalBacklog === 0)(await status()), { what: 'replayed and on line', timeout: 60_000 });
      await expect.poll(async () => page.getByTestId('link-banner').count(), { timeout: 20_000 }).toBe(0);
      const hubRow = () =>
        readHub(dbFile, (db) => db.prepare("SELECT id, reference, status, cancelled_by AS by FROM bookings WHERE vehicle_number = 'KL-01-SO-1003'").get()) as
          { id: number; reference: string; status: string; by: string | null } | undefined;
      expect(hubRow()).toMatchObject({ reference, status: 'booked' });
      await page.getByTestId('countdown').waitFor();
      // The screen follows the sale to the hub: the car wash (a hub-only offer) is there now.
      await page.getByRole('button', { name: /Add Car Wash/ }).waitFor({ timeout: 20_000 });
      // The link breaks again: the same screen (on the hub's id by now) is answered from the journal.
      proxy.set('blackhole');
      await waitFor(async () => (await status()).state === 'offline-leases', { what: 'off line again' });
      await expect.poll(async () => (await page.getByTestId('link-banner').textContent()) ?? '', { timeout: 20_000 }).toContain('This kiosk is offline');
      await page.getByTestId('countdown').waitFor();
      expect(await page.getByRole('heading', { name: 'You are booked' }).count()).toBe(1);
      // What only the hub sells goes from the screen while it is out of reach.
      await expect.poll(async () => page.getByRole('button', { name: /Add Car Wash/ }).count(), { timeout: 20_000 }).toBe(0);
      proxy.set('pass');
      await waitFor(async () => ((s) => s.state === 'online' && s.journalBacklog === 0)(await status()), { what: 'on line again', timeout: 60_000 });
      await expect.poll(async () => page.getByTestId('link-banner').count(), { timeout: 20_000 }).toBe(0);
      await page.getByRole('button', { name: /Add Car Wash/ }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await page.getByRole('button', { name: 'Yes, cancel it' }).tap();
      await page.getByRole('heading', { name: 'Booking cancelled' }).waitFor();
      // Cancelled at the hub by the driver's own call (not a journal cancel replayed later).
      expect(hubRow()).toMatchObject({ status: 'cancelled' });
      expect(hubRow()!.by ?? '').not.toMatch(/^satellite:/);
      expect((await status()).journalBacklog).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
