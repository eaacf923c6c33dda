/**
 * `npx tsx scripts/central-screenshots.ts`: docs/screenshots/central-*.png, the operator console
 * over two small lots (in-process kiosks and workers, a throwaway PostgreSQL, loopback only).
 */
import type { AddressInfo } from 'node:net';
import { addLotCredential, addStaffAccount } from '../central/auth';
import { createCentralServer } from '../central/server';
import { addCarWash, cancelBooking, createBooking } from '../electron/core/bookings/service';
import { outboxStats } from '../electron/sync/outbox';
import { SyncWorker } from '../electron/sync/worker';
import { bootKiosk } from '../electron/app/boot';
import { publishDocument } from '../central/sync/documents';
import { startServer, tempDbFile } from '../tests/support/server';
import { launchBrowser } from '../tests/support/browser';
import { startTestPostgres } from '../tests/support/postgres';
import { waitFor } from '../tests/support/wait';

const cluster = await startTestPostgres();
const central = await createCentralServer({ pgUrl: cluster.createDatabase('shots') });
await new Promise<void>((resolve) => central.server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(central.server.address() as AddressInfo).port}`;
// Real clocks: the console's "now" and "today" are the central server's.
const boot = () => bootKiosk({ dbFile: tempDbFile('shot'), demo: true, staffPin: '482916', integrityCheck: false, backups: { everyMs: 0 } });
const lots = [boot(), boot()];
const workers: SyncWorker[] = [];
try {
  await addStaffAccount(central.pool, 'asha', 'a-long-password');
  for (const [i, lot] of lots.entries()) {
    const key = `screenshot-key-${i}-xxxxxxxxxxxxxxxx`;
    await addLotCredential(central.pool, i === 0 ? 'Riverside' : 'Station Road', key);
    for (let slot = 1; slot <= 6 + i * 3; slot++) {
      const { booking } = createBooking(lot.core, { slotId: slot, vehicleNumber: `KA0${i + 1}MH${4100 + slot}`, bookingType: 'instant' });
      if (slot === 2) cancelBooking(lot.core, booking.id, 'staff:Owner', 'driver left', { staffId: 1, name: 'Owner' });
      if (slot === 3) addCarWash(lot.core, booking.id);
    }
    const worker = new SyncWorker(lot.core, { centralUrl: url, centralKey: key, idleMs: 500 });
    workers.push(worker);
    worker.start();
  }
  for (const lot of lots) await waitFor(() => outboxStats(lot.core).unsent === 0, { what: 'sync' });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${url}/login`);
    await page.fill('input[name=name]', 'asha');
    await page.fill('input[name=password]', 'a-long-password');
    await Promise.all([page.waitForURL(`${url}/`), page.click('button')]);
    for (const [path, name] of [
      ['/', 'lots'],
      ['/bookings?q=MH', 'bookings'],
      ['/reports', 'reports'],
      ['/tariffs', 'tariffs'],
      ['/settings', 'settings'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.screenshot({ path: `docs/screenshots/central-${name}.png` });
    }
    // A slot map started from a lot's current map, edited, and published.
    await page.goto(`${url}/slot-maps`);
    await Promise.all([page.waitForURL(/from=/), page.click('form[method=get] button')]);
    const map = await page.inputValue('textarea[name=slots]');
    await page.fill('textarea[name=slots]', `${map.split('\n').slice(0, 6).join('\n')}\nEV9 ev 9000\nEV10 ev 9000 closed`);
    await page.check('input[name=site]');
    await page.fill('input[name=effectiveFrom]', '2026-12-24T00:00');
    await Promise.all([page.waitForLoadState(), page.click('form[method=post][action="/slot-maps"] button')]);
    await page.locator('[role=status]').waitFor();
    await page.screenshot({ path: 'docs/screenshots/central-slot-map.png', fullPage: true });

    // A lot process linked to central: its staff console's "Central office link" card lists what
    // came down and what became of it (one applied now, one refused: its hub has no lot 7).
    const key = 'screenshot-key-card-xxxxxxxxxxxxxxxx';
    await addLotCredential(central.pool, 'Harbour', key);
    const lot = await startServer({ staticDir: 'dist/web', testClock: false, args: ['--central', url, '--central-key', key] });
    try {
      const owner = (await lot.client().auth.login.mutate({ pin: '482916' })).token;
      await waitFor(async () => (await lot.client(owner).sync.status.query()).linkUp, { what: 'the lot linked' });
      const lotId = (await lot.client(owner).sync.status.query()).lotId;
      const slotMap = { slots: [{ label: 'EV9', vehicleType: 'ev', hourlyPrice: 9000 }] };
      await publishDocument(central.pool, { kind: 'slot_map', targets: [{ lotId }], document: slotMap, effectiveFrom: Date.now() - 1000, by: 'asha' });
      await publishDocument(central.pool, {
        kind: 'slot_map',
        targets: [{ lotId, localLotId: 7 }],
        document: slotMap,
        effectiveFrom: Date.now() - 1000,
        by: 'asha',
      });
      await publishDocument(central.pool, {
        kind: 'lot_settings',
        targets: [{ lotId }],
        document: { graceMinutes: 15 },
        effectiveFrom: Date.now() + 86_400_000,
        by: 'asha',
      });
      await waitFor(async () => (await lot.client(owner).sync.status.query()).documents.length === 3, { what: 'the documents at the lot', timeout: 60_000 });
      const card = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await card.goto(`${lot.url}/#/staff`);
      await card.getByLabel('PIN').fill('482916');
      await card.getByLabel('PIN').press('Enter');
      await card.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Settings' }).click();
      const sync = card.getByLabel('Central office link');
      await sync.getByText('No. 2').waitFor();
      await sync.scrollIntoViewIfNeeded();
      await sync.screenshot({ path: 'docs/screenshots/staff-sync-card.png' });
      // Back at central, the publish page shows the lot's answer to each.
      await waitFor(
        async () =>
          (await central.pool.query('SELECT count(*)::int AS n FROM documents WHERE lot_id = $1 AND applied_at IS NOT NULL', [lotId])).rows[0].n === 2,
        {
          what: 'the outcomes at central',
        },
      );
      await page.goto(`${url}/tariffs`);
      await page.locator('h2').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'docs/screenshots/central-documents.png', fullPage: true });
    } finally {
      await lot.stop();
    }
  } finally {
    await browser.close();
  }
} finally {
  for (const worker of workers) worker.stop();
  for (const lot of lots) lot.close();
  await central.close();
  cluster.stop();
}
