import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { addLotCredential, addStaffAccount } from '../../central/auth';
import { publishDocument, publishTariff } from '../../central/sync/documents';
import { createCentralServer, type CentralServer } from '../../central/server';
import { cancelBooking, createBooking } from '../../electron/core/bookings/service';
import { saveLotTariff } from '../../electron/core/pricing/tariff-admin';
import { runRead } from '../../electron/core/shared/unit-of-work';
import { defaultTariffFromFlatRate } from '../../electron/core/tariffs/model';
import { createCentralClient } from '../../electron/sync/client';
import { lotGlobalId, outboxStats, readEvents } from '../../electron/sync/outbox';
import { SyncWorker } from '../../electron/sync/worker';
import { startSyncIfConfigured } from '../../electron/sync/start';
import { syncStatus } from '../../electron/sync/status';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { waitFor } from '../support/wait';

// The central store against a real PostgreSQL (a throwaway cluster): idempotent pushes, gap
// refusal, the exclusion alarm, and the worker's push/pull round trip with a real lot.
let pg: TestPostgres;
let central: CentralServer;
let url: string;
const KEY = 'test-lot-key-aaaaaaaaaaaaaaaaaaaa';
const KEY_B = 'test-lot-key-bbbbbbbbbbbbbbbbbbbb';

beforeAll(async () => {
  pg = await startTestPostgres();
  central = await createCentralServer({ pgUrl: pg.createDatabase('store_test'), poolSize: 4 });
  await addLotCredential(central.pool, 'North lot', KEY);
  await addLotCredential(central.pool, 'South lot', KEY_B);
  await new Promise<void>((resolve) => central.server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(central.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await central?.close();
  pg?.stop();
});

const count = async (sql: string, params: unknown[] = []) => Number((await central.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

function bookSome(kiosk: TestKiosk, n: number, firstSlot = 1) {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(createBooking(kiosk.core, { slotId: firstSlot + i, vehicleNumber: `KA01AB${String(1000 + i)}`, bookingType: 'instant' }).booking.id);
  }
  return ids;
}

function bookPlates(kiosk: TestKiosk, firstSlot: number, plates: string[]) {
  return plates.map((vehicleNumber, i) => createBooking(kiosk.core, { slotId: firstSlot + i, vehicleNumber, bookingType: 'instant' }).booking.id);
}

describe('central store', () => {
  it('stores a batch once however often it is pushed, and derives the lot bookings', async () => {
    const kiosk = bootTestKiosk();
    try {
      bookSome(kiosk, 3);
      const lotId = lotGlobalId(kiosk.core);
      const client = createCentralClient(url, KEY, 10_000);
      const events = readEvents(kiosk.core, 1, 1000);
      const first = await client.sync.push.mutate({ lotId, events });
      expect(first).toMatchObject({ lastSeq: events.length, stored: events.length, duplicates: 0, need: null });
      const again = await client.sync.push.mutate({ lotId, events });
      expect(again).toMatchObject({ lastSeq: events.length, stored: 0, duplicates: events.length, need: null, alarms: 0 });
      expect(await count('SELECT count(*) AS n FROM events WHERE lot_id = $1', [lotId])).toBe(events.length);
      expect(await count("SELECT count(*) AS n FROM bookings WHERE lot_id = $1 AND status = 'booked'", [lotId])).toBe(3);
      // A credential speaks for one lot only.
      await expect(createCentralClient(url, KEY, 10_000).sync.push.mutate({ lotId: '00000000-0000-4000-8000-000000000000', events: [] })).rejects.toThrow(
        /another lot/,
      );
      await expect(createCentralClient(url, 'nobody', 10_000).sync.push.mutate({ lotId, events: [] })).rejects.toThrow(/not known/);
    } finally {
      kiosk.close();
    }
  });

  it('refuses a gap and names the sequence it needs', async () => {
    const kiosk = bootTestKiosk();
    try {
      const client = createCentralClient(url, KEY_B, 10_000);
      const lotId = lotGlobalId(kiosk.core);
      const events = readEvents(kiosk.core, 1, 1000);
      await client.sync.push.mutate({ lotId, events: events.slice(0, 5) });
      const skipped = await client.sync.push.mutate({ lotId, events: events.slice(7) });
      expect(skipped).toMatchObject({ lastSeq: 5, stored: 0, need: 6 });
      // A batch that starts right but skips inside is stored up to the hole.
      const holed = await client.sync.push.mutate({ lotId, events: [...events.slice(5, 8), ...events.slice(9)] });
      expect(holed).toMatchObject({ lastSeq: 8, stored: 3, need: 9 });
      expect(await count('SELECT max(seq) AS n FROM events WHERE lot_id = $1', [lotId])).toBe(8);
    } finally {
      kiosk.close();
    }
  });

  it('records an alarm, and keeps the event, when a lot reports two active bookings of one slot at once', async () => {
    await addLotCredential(central.pool, 'Broken lot', 'test-lot-key-cccccccccccccccccccc');
    const kiosk = bootTestKiosk();
    try {
      const [id] = bookSome(kiosk, 1);
      const lotId = lotGlobalId(kiosk.core);
      const client = createCentralClient(url, 'test-lot-key-cccccccccccccccccccc', 10_000);
      const events = readEvents(kiosk.core, 1, 1000);
      await client.sync.push.mutate({ lotId, events });
      const original = events.find((event) => event.kind === 'booking.created')!;
      // What a lot that broke its invariant would send: a second active booking on the same slot, overlapping.
      const forged = {
        seq: events.length + 1,
        eventId: '3f2b8c1e-5d4a-4c3b-9a1e-7f6d5c4b3a21',
        kind: 'booking.created',
        entity: `booking:${id! + 100}`,
        payload: { ...original.payload, id: id! + 100, reference: 'FORGED1', vehicleNumber: 'KA01ZZ9999' },
        occurredAt: original.occurredAt,
      };
      const result = await client.sync.push.mutate({ lotId, events: [forged] });
      expect(result).toMatchObject({ stored: 1, alarms: 1, need: null });
      expect(await count("SELECT count(*) AS n FROM alarms WHERE lot_id = $1 AND kind = 'double_booking'", [lotId])).toBe(1);
      const rows = await central.pool.query<{ booking_id: string; in_conflict: boolean }>(
        'SELECT booking_id, in_conflict FROM bookings WHERE lot_id = $1 ORDER BY booking_id',
        [lotId],
      );
      expect(rows.rows.map((row) => [Number(row.booking_id), row.in_conflict])).toEqual([
        [id, false],
        [id! + 100, true],
      ]);
      expect(await count('SELECT count(*) AS n FROM events WHERE lot_id = $1', [lotId])).toBe(events.length + 1);
    } finally {
      kiosk.close();
    }
  });

  it('the worker sends everything in order, pulls a central tariff after pushing the lot edit, and applies it as the newest version', async () => {
    await addLotCredential(central.pool, 'Worker lot', 'test-lot-key-dddddddddddddddddddd');
    const kiosk = bootTestKiosk();
    const worker = new SyncWorker(kiosk.core, {
      centralUrl: url,
      centralKey: 'test-lot-key-dddddddddddddddddddd',
      backoffBaseMs: 50,
      backoffMaxMs: 200,
      idleMs: 100,
    });
    try {
      const lotId = lotGlobalId(kiosk.core);
      const [a, b] = bookSome(kiosk, 2);
      cancelBooking(kiosk.core, b!, 'staff:Owner', 'test', { staffId: 1, name: 'Owner' });
      // The lot's own tariff edit, made while central's is on its way.
      const own = defaultTariffFromFlatRate(5000, 60, 'INR');
      saveLotTariff(kiosk.core, { staffId: 1, name: 'Owner' }, 1, own);
      worker.start();
      await waitFor(() => outboxStats(kiosk.core).unsent === 0, { what: 'the outbox to drain' });
      await waitFor(async () => (await count('SELECT count(*) AS n FROM lot_tariffs WHERE lot_id = $1', [lotId])) === 1, { what: 'the lot tariff at central' });
      const centralDoc = defaultTariffFromFlatRate(7000, 60, 'INR');
      const versions = await publishTariff(central.pool, { lotIds: [lotId], document: centralDoc, effectiveFrom: kiosk.clock.now() - 1000, by: 'test' });
      worker.wake();
      await waitFor(
        () => runRead(kiosk.core, () => kiosk.core.db.sqlite.prepare('SELECT max(version) AS v FROM tariff_versions').get() as { v: number }).v === 2,
        {
          what: 'the central tariff applied at the lot',
        },
      );
      const history = kiosk.core.db.sqlite.prepare('SELECT version, created_by AS by, document FROM tariff_versions ORDER BY version').all() as {
        version: number;
        by: string;
        document: string;
      }[];
      expect(history.map((row) => [row.version, row.by])).toEqual([
        [1, 'Owner'],
        [2, 'central'],
      ]);
      expect(JSON.parse(history[1]!.document)).toEqual(centralDoc);
      // Bookings after it carry its version.
      const after = createBooking(kiosk.core, { slotId: 5, vehicleNumber: 'KA01CD4321', bookingType: 'instant' }).booking;
      expect(after.price).toBe(7000);
      await waitFor(
        async () => (await central.pool.query('SELECT acked_version FROM lots WHERE lot_id = $1', [lotId])).rows[0]?.acked_version === versions[lotId],
        {
          what: 'the acknowledgement',
        },
      );
      await waitFor(async () => (await count('SELECT count(*) AS n FROM bookings WHERE lot_id = $1 AND tariff_version = 2', [lotId])) === 1, {
        what: 'the new booking at central',
      });
      // The central copy equals the lot's own: status and money, booking by booking.
      await waitFor(() => outboxStats(kiosk.core).unsent === 0);
      const lot = kiosk.core.db.sqlite.prepare('SELECT id, status, price FROM bookings ORDER BY id').all() as { id: number; status: string; price: number }[];
      const mirrored = (
        await central.pool.query<{ id: string; status: string; price: string }>(
          'SELECT booking_id AS id, status, price FROM bookings WHERE lot_id = $1 ORDER BY booking_id',
          [lotId],
        )
      ).rows;
      expect(mirrored.map((row) => ({ id: Number(row.id), status: row.status, price: Number(row.price) }))).toEqual(lot);
      expect(lot.map((row) => row.id)).toEqual([a, b, after.id]);
      // Central events are exactly the lot's outbox, in order.
      const seqs = (await central.pool.query<{ seq: string; event_id: string }>('SELECT seq, event_id FROM events WHERE lot_id = $1 ORDER BY seq', [lotId]))
        .rows;
      const local = readEvents(kiosk.core, 1, 10_000);
      expect(seqs.map((row) => [Number(row.seq), row.event_id])).toEqual(local.map((event) => [event.seq, event.eventId]));
    } finally {
      worker.stop();
      kiosk.close();
    }
  });

  it('a central slot map and lot settings reach the lot through its worker, and central then holds the map the lot runs', async () => {
    const key = 'test-lot-key-slotmapslotmapslotmap';
    await addLotCredential(central.pool, 'Map lot', key);
    const kiosk = bootTestKiosk();
    const worker = new SyncWorker(kiosk.core, { centralUrl: url, centralKey: key, backoffBaseMs: 50, backoffMaxMs: 200, idleMs: 100 });
    try {
      const lotId = lotGlobalId(kiosk.core);
      worker.start();
      await waitFor(() => outboxStats(kiosk.core).unsent === 0, { what: 'the first push' });
      const centralSlots = async () =>
        (
          await central.pool.query<{ label: string; vehicle_type: string; hourly_price: string; enabled: boolean }>(
            'SELECT label, vehicle_type, hourly_price, enabled FROM slots WHERE lot_id = $1 AND NOT deleted ORDER BY slot_id',
            [lotId],
          )
        ).rows.map((row) => `${row.label} ${row.vehicle_type} ${row.hourly_price}${row.enabled ? '' : ' closed'}`);
      expect(await centralSlots()).toContain('A1 car 6000');
      // A map and a settings change, as the operator publishes them; a broken one is refused before it is stored.
      await expect(
        publishDocument(central.pool, { kind: 'slot_map', targets: [{ lotId }], document: { slots: [] }, effectiveFrom: 0, by: 'test' }),
      ).rejects.toThrow(/at least one slot/);
      await publishDocument(central.pool, {
        kind: 'slot_map',
        targets: [{ lotId, localLotId: 1 }],
        document: {
          slots: [
            { label: 'A1', vehicleType: 'car', hourlyPrice: 6600 },
            { label: 'A2', vehicleType: 'car', hourlyPrice: 6000, enabled: false },
            { label: 'N1', vehicleType: 'ev', hourlyPrice: 8800 },
          ],
        },
        effectiveFrom: kiosk.clock.now() - 1000,
        by: 'test',
      });
      await publishDocument(central.pool, {
        kind: 'lot_settings',
        targets: [{ lotId }],
        document: { bookingMinutes: 75, graceMinutes: 3 },
        effectiveFrom: kiosk.clock.now() - 1000,
        by: 'test',
      });
      // One the lot cannot apply: its hub has no lot 7.
      await publishDocument(central.pool, {
        kind: 'slot_map',
        targets: [{ lotId, localLotId: 7 }],
        document: { slots: [{ label: 'Q1', vehicleType: 'car', hourlyPrice: 100 }] },
        effectiveFrom: kiosk.clock.now() - 1000,
        by: 'test',
      });
      worker.wake();
      await waitFor(async () => (await central.pool.query('SELECT acked_version FROM lots WHERE lot_id = $1', [lotId])).rows[0]?.acked_version === 3, {
        what: 'the documents acknowledged',
      });
      await waitFor(() => outboxStats(kiosk.core).unsent === 0, { what: 'the changes pushed back up' });
      const local = (
        kiosk.core.db.sqlite.prepare('SELECT label, vehicle_type AS t, hourly_price AS p, enabled FROM slots ORDER BY id').all() as {
          label: string;
          t: string;
          p: number;
          enabled: number;
        }[]
      ).map((row) => `${row.label} ${row.t} ${row.p}${row.enabled ? '' : ' closed'}`);
      expect(local).toEqual(expect.arrayContaining(['A1 car 6600', 'A2 car 6000 closed', 'N1 ev 8800', 'A3 car 6000']));
      await waitFor(async () => JSON.stringify(await centralSlots()) === JSON.stringify(local), { what: "central's copy of the lot's map" });
      expect(kiosk.core.db.sqlite.prepare('SELECT booking_minutes AS m, grace_minutes AS g FROM lots').get()).toEqual({ m: 75, g: 3 });
      const site = await central.pool.query<{ settings: { bookingMinutes: number } }>('SELECT settings FROM sites WHERE lot_id = $1', [lotId]);
      expect(site.rows[0]!.settings.bookingMinutes).toBe(75);
      expect(syncStatus(kiosk.core)).toMatchObject({ lastVersionReceived: 3 });
      // What became of each document at the lot is back at central: two applied, one refused with the lot's reason.
      await waitFor(async () => (await count('SELECT count(*) AS n FROM documents WHERE lot_id = $1 AND applied_at IS NOT NULL', [lotId])) === 3, {
        what: 'the outcomes at central',
      });
      const outcomes = await central.pool.query<{ version: number; outcome: Record<string, unknown> }>(
        'SELECT version, outcome FROM documents WHERE lot_id = $1 ORDER BY version',
        [lotId],
      );
      expect(outcomes.rows[0]!.outcome).toMatchObject({ slotMap: { added: ['N1'], changed: ['A1'], closed: ['A2'] } });
      expect(outcomes.rows[1]!.outcome).toMatchObject({ settings: { bookingMinutes: 75, graceMinutes: 3 } });
      expect(outcomes.rows[2]!.outcome.refused).toMatch(/no lot number 7/);
    } finally {
      worker.stop();
      kiosk.close();
    }
  });

  it('a lot keeps booking while central is unreachable, and its worker backs off', async () => {
    const kiosk = bootTestKiosk();
    const worker = new SyncWorker(kiosk.core, {
      centralUrl: 'http://127.0.0.1:9',
      centralKey: KEY,
      backoffBaseMs: 20,
      backoffMaxMs: 100,
      requestTimeoutMs: 500,
    });
    try {
      worker.start();
      bookSome(kiosk, 2);
      await waitFor(() => worker.state.failures >= 3, { what: 'retries' });
      expect(worker.state.linkUp).toBe(false);
      expect(outboxStats(kiosk.core).unsent).toBeGreaterThan(0);
      void HOUR;
    } finally {
      worker.stop();
      kiosk.close();
    }
  });

  it('the operator console needs a central account and shows lots, bookings, revenue, and publishes a tariff, a slot map and lot settings', async () => {
    await addStaffAccount(central.pool, 'operator', 'correct horse battery');
    expect((await fetch(`${url}/`, { redirect: 'manual' })).status).toBe(303);
    const form = (fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
      return { method: 'POST', body, redirect: 'manual' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    };
    expect((await fetch(`${url}/login`, form({ name: 'operator', password: 'wrong password!' }))).status).toBe(401);
    // A lot's PIN is no central password.
    expect((await fetch(`${url}/login`, form({ name: 'operator', password: '482916' }))).status).toBe(401);
    const login = await fetch(`${url}/login`, form({ name: 'operator', password: 'correct horse battery' }));
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return res.text();
    };
    expect(await get('/')).toContain('North lot');
    expect(await get('/bookings?q=KA01AB1000')).toContain('KA-01-AB-1000');
    expect(await get('/reports')).toContain('Revenue today');
    const { rows } = await central.pool.query<{ lot_id: string }>("SELECT lot_id FROM lots WHERE name = 'North lot'");
    const lotId = rows[0]!.lot_id;
    const bad = await fetch(`${url}/tariffs`, {
      ...form({ site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', document: '{"schemaVersion":1}' }),
      headers: { ...form({}).headers, cookie },
    });
    expect(bad.status).toBe(400);
    const doc = JSON.stringify(defaultTariffFromFlatRate(9000, 60, 'INR'));
    const ok = await fetch(`${url}/tariffs`, {
      ...form({ site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', document: doc }),
      headers: { ...form({}).headers, cookie },
    });
    expect(ok.status).toBe(200);
    const published = await central.pool.query('SELECT version, effective_from FROM documents WHERE lot_id = $1', [lotId]);
    expect(published.rows).toEqual([{ version: 1, effective_from: new Date('2026-02-01T00:00:00Z') }]);
    // A slot map typed as lines, starting from the lot's current map; a line it cannot read is named.
    const post = (path: string, fields: Record<string, string | string[]>) =>
      fetch(`${url}${path}`, { ...form(fields), headers: { ...form({}).headers, cookie } });
    const start = await get(`/slot-maps?from=${lotId}/1`);
    expect(start).toContain('A1 car 6000');
    const unreadable = await post('/slot-maps', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', slots: 'A1 car 6000\nA2 boat 10' });
    expect(unreadable.status).toBe(400);
    expect(await unreadable.text()).toContain('Line 2');
    const refused = await post('/slot-maps', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', slots: 'A1 car 6000\na1 car 10' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('listed twice');
    const mapped = await post('/slot-maps', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', slots: '# row A\nA1-A3 car 6500\nEV1 ev 9000 closed' });
    expect(mapped.status).toBe(200);
    const settings = await post('/settings', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', graceMinutes: '7', name: '' });
    expect(settings.status).toBe(200);
    expect((await post('/settings', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', graceMinutes: '500' })).status).toBe(400);
    expect((await post('/settings', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00' })).status).toBe(400);
    expect((await post('/slot-maps', { site: '00000000-0000-4000-8000-000000000000/1', effectiveFrom: '2026-02-01T00:00', slots: 'A1 car 1' })).status).toBe(
      400,
    );
    // A form far too large is refused whole, and the console goes on answering.
    expect((await post('/slot-maps', { site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', slots: 'A1 car 6000\n'.repeat(40_000) })).status).toBe(413);
    expect(await get('/')).toContain('North lot');
    const docs = await central.pool.query('SELECT version, kind, document FROM documents WHERE lot_id = $1 ORDER BY version', [lotId]);
    expect(docs.rows.slice(1)).toEqual([
      {
        version: 2,
        kind: 'slot_map',
        document: {
          slots: [
            { label: 'A1', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
            { label: 'A2', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
            { label: 'A3', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
            { label: 'EV1', vehicleType: 'ev', hourlyPrice: 9000, enabled: false },
          ],
        },
      },
      { version: 3, kind: 'lot_settings', document: { graceMinutes: 7 } },
    ]);
    // A form from another site is refused.
    const forged = await fetch(`${url}/tariffs`, {
      ...form({ site: `${lotId}/1`, effectiveFrom: '2026-02-01T00:00', document: doc }),
      headers: { ...form({}).headers, cookie, origin: 'http://evil.example' },
    });
    expect(forged.status).toBe(403);
  });

  it('without a central URL nothing starts; the status says so and the outbox only keeps the events', async () => {
    const kiosk = bootTestKiosk();
    const saved = { url: process.env.KIOSK_CENTRAL_URL, key: process.env.KIOSK_CENTRAL_KEY };
    delete process.env.KIOSK_CENTRAL_URL;
    delete process.env.KIOSK_CENTRAL_KEY;
    try {
      expect(startSyncIfConfigured(kiosk.core)).toBeNull();
      bookSome(kiosk, 1);
      const status = syncStatus(kiosk.core);
      expect(status).toMatchObject({ configured: false, linkUp: false, lastVersionReceived: 0 });
      expect(status.unsent).toBe(outboxStats(kiosk.core).lastSeq);
      expect(() => startSyncIfConfigured(kiosk.core, { url: 'http://127.0.0.1:9' })).toThrow(/lot key/);
    } finally {
      if (saved.url !== undefined) process.env.KIOSK_CENTRAL_URL = saved.url;
      if (saved.key !== undefined) process.env.KIOSK_CENTRAL_KEY = saved.key;
      kiosk.close();
    }
  });

  it('a lot restored from an older backup sends what it made since as new events: nothing lost, nothing overwritten, and staff see why', async () => {
    const key = 'test-lot-key-restoredrestoredrestored';
    await addLotCredential(central.pool, 'Restored lot', key);
    const dbFile = join(mkdtempSync(join(tmpdir(), 'kiosk-restore-')), 'kiosk.db');
    const options = { centralUrl: url, centralKey: key, backoffBaseMs: 50, backoffMaxMs: 200, idleMs: 100 };
    const syncAll = async (kiosk: TestKiosk) => {
      const worker = new SyncWorker(kiosk.core, options);
      worker.start();
      try {
        await waitFor(() => outboxStats(kiosk.core).unsent === 0, { what: 'the outbox to drain' });
      } finally {
        worker.stop();
      }
      return worker;
    };
    const centralBookings = async (lotId: string) =>
      (await central.pool.query<{ id: string }>('SELECT booking_id AS id FROM bookings WHERE lot_id = $1 ORDER BY booking_id', [lotId])).rows.map((row) =>
        Number(row.id),
      );

    let kiosk = bootTestKiosk({ dbFile });
    const lotId = lotGlobalId(kiosk.core);
    const before = bookPlates(kiosk, 1, ['KA01RS1001', 'KA01RS1002']);
    await syncAll(kiosk);
    const backupFile = `${dbFile}.backup`;
    kiosk.core.db.sqlite.prepare('VACUUM INTO ?').run(backupFile);
    // Made after the backup and sent: central has them, the restored file will not. All still running.
    const lost = bookPlates(kiosk, 3, ['KA01RS2001', 'KA01RS2002', 'KA01RS2003']);
    const lostRefs = lost.map((id) => (kiosk.core.db.sqlite.prepare('SELECT reference AS r FROM bookings WHERE id = ?').get(id) as { r: string }).r);
    await syncAll(kiosk);
    kiosk.close();
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
    copyFileSync(backupFile, dbFile);

    kiosk = bootTestKiosk({ dbFile });
    try {
      // Since the restore: two new bookings, one of them on the slot of a lost one (slot 5, lost KA01RS2003's),
      // which the restored lot saw as free.
      const since = bookPlates(kiosk, 5, ['KA01RS3001', 'KA01RS3002']);
      expect(since.filter((id) => lost.includes(id))).toEqual([]);
      const worker = await syncAll(kiosk);
      // Every booking ever made at the lot is at central once: before the backup, lost by the restore, made since.
      expect(await centralBookings(lotId)).toEqual([...before, ...lost, ...since].sort((a, b) => a - b));
      expect(worker.state.lastRenumber).toMatchObject({ events: expect.any(Number) as number, restored: 2, conflicts: 1 });
      // The two lost bookings whose slots stayed free are back, with their ids and references: their
      // drivers find them again and the slots are not sold twice.
      const back = kiosk.core.db.sqlite.prepare('SELECT id, reference, slot_id AS slotId, status FROM bookings WHERE id IN (?, ?, ?) ORDER BY id').all(...lost);
      expect(back).toEqual([
        { id: lost[0], reference: lostRefs[0], slotId: 3, status: 'booked' },
        { id: lost[1], reference: lostRefs[1], slotId: 4, status: 'booked' },
      ]);
      expect(await kiosk.caller().booking.find({ reference: lostRefs[0]!, vehicleNumber: 'KA01RS2001' })).toMatchObject({ id: lost[0] });
      await expect(kiosk.caller().booking.create({ slotId: 3, vehicleNumber: 'KA01RS4001', bookingType: 'instant' })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      // The third clashed with the booking sold since on its slot: staff are told, with both references.
      const conflict = kiosk.core.db.sqlite.prepare("SELECT detail FROM audit_log WHERE action = 'booking.restore_conflict'").all() as { detail: string }[];
      expect(conflict.map((row) => JSON.parse(row.detail))).toEqual([
        expect.objectContaining({ reference: lostRefs[2], vehicleNumber: 'KA-01-RS-2003', slotId: 5, why: 'its slot was sold again since the restore' }),
      ]);
      // The lot's outbox is now exactly central's tail, event by event.
      const local = readEvents(kiosk.core, 1, 10_000);
      const atCentral = new Map(
        (await central.pool.query<{ seq: string; event_id: string }>('SELECT seq, event_id FROM events WHERE lot_id = $1', [lotId])).rows.map((row) => [
          Number(row.seq),
          row.event_id,
        ]),
      );
      expect(local.filter((event) => atCentral.get(event.seq) !== event.eventId)).toEqual([]);
      expect(await count("SELECT count(*) AS n FROM alarms WHERE lot_id = $1 AND kind = 'sequence_diverged'", [lotId])).toBe(1);
      const audit = kiosk.core.db.sqlite.prepare("SELECT actor FROM audit_log WHERE action = 'sync.renumber'").all();
      expect(audit).toEqual([{ actor: 'system' }]);
    } finally {
      kiosk.close();
    }
  });

  it('two copies of one lot database sending as one lot are refused after the first renumbering, with an alarm, not merged', async () => {
    const key = 'test-lot-key-copiedcopiedcopiedcopied';
    await addLotCredential(central.pool, 'Copied lot', key);
    const options = { centralUrl: url, centralKey: key, backoffBaseMs: 50, backoffMaxMs: 200, idleMs: 100 };
    const original = bootTestKiosk();
    const copyFile = `${original.dbFile}.copy`;
    bookPlates(original, 1, ['KA01CP1001']);
    original.core.db.sqlite.prepare('VACUUM INTO ?').run(copyFile);
    const copy = bootTestKiosk({ dbFile: copyFile });
    const workers = [new SyncWorker(original.core, options), new SyncWorker(copy.core, options)];
    try {
      const lotId = lotGlobalId(original.core);
      expect(lotGlobalId(copy.core)).toBe(lotId);
      bookPlates(original, 2, ['KA01CP2001']);
      bookPlates(copy, 3, ['KA01CP3001']);
      // The original sends first; the copy's events then look like a restore and are renumbered once.
      workers[0]!.start();
      await waitFor(() => outboxStats(original.core).unsent === 0, { what: 'the original to drain' });
      workers[0]!.stop();
      workers[1]!.start();
      await waitFor(() => outboxStats(copy.core).unsent === 0, { what: 'the copy to drain' });
      workers[1]!.stop();
      // The original goes on: its sequence meets the copy's again, which a restore does not do.
      bookPlates(original, 4, ['KA01CP4001']);
      workers[0]!.start();
      await waitFor(() => /Two installations/.test(workers[0]!.state.lastError ?? ''), { what: 'the refusal' });
      expect(outboxStats(original.core).unsent).toBeGreaterThan(0);
      expect(await count("SELECT count(*) AS n FROM alarms WHERE lot_id = $1 AND kind = 'two_installations'", [lotId])).toBeGreaterThan(0);
      const plates = (await central.pool.query<{ plate: string }>('SELECT vehicle_number AS plate FROM bookings WHERE lot_id = $1', [lotId])).rows.map(
        (row) => row.plate,
      );
      expect(plates).not.toContain('KA-01-CP-4001');
    } finally {
      for (const worker of workers) worker.stop();
      original.close();
      copy.close();
    }
  });

  // Last in the file: it leaves this address slowed down for the console.
  it('slows down a caller guessing central passwords, by growing delays, and lets the right one in once the wait is over', async () => {
    await addStaffAccount(central.pool, 'guarded', 'the right password');
    const post = (password: string) =>
      fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: 'guarded', password }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(`wrong guess ${i}`)).status);
    // Five free failures, then the sixth is counted and the next try must wait.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const held = await post('the right password');
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await held.text()).toContain('Too many wrong attempts');
    await waitFor(async () => (await post('the right password')).status === 303, { what: 'the wait to pass', timeout: 10_000 });
    // A success forgets the failures: the next wrong one is free again.
    expect((await post('wrong again')).status).toBe(401);
  });
});
