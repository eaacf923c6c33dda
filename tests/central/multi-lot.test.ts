import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { publishDocument, publishTariff } from '../../central/sync/documents';
import { defaultTariffFromFlatRate } from '../../electron/core/tariffs/model';
import { startCentralProcess, stopAllCentrals, type RunningCentral } from '../support/central-process';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { startServer, tempDbFile, type RunningServer } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';

// Two lots (their own processes and SQLite files), one central server process on a real
// PostgreSQL, a disturbable TCP proxy between each lot and central; SIGKILL of a lot and of
// central while bookings flow under the test clock, at random moments (seeded); then heal and check central holds every
// event exactly once and in order, the same bookings and the same money as each lot, and that
// a tariff published centrally reached every lot and priced the bookings made after it.

const HOUR = 3_600_000;
const KEYS = { 'Lot A': 'multi-lot-key-a-aaaaaaaaaaaaaaaaaaaa', 'Lot B': 'multi-lot-key-b-bbbbbbbbbbbbbbbbbbbb' };

interface Lot {
  name: keyof typeof KEYS;
  dbFile: string;
  proxy: TcpProxy;
  server: RunningServer;
  staffToken: string;
  counter: number;
}

let cluster: TestPostgres;
let pgUrl: string;
let central: RunningCentral;
let pool: pg.Pool;
const lots: Lot[] = [];

const syncEnv = (lot: Pick<Lot, 'proxy' | 'name'>) => ({
  KIOSK_CENTRAL_URL: lot.proxy.url,
  KIOSK_CENTRAL_KEY: KEYS[lot.name],
  KIOSK_SYNC_BACKOFF_MS: '50',
  KIOSK_SYNC_BACKOFF_MAX_MS: '400',
  KIOSK_SYNC_IDLE_MS: '200',
  KIOSK_SYNC_TIMEOUT_MS: '1500',
  KIOSK_SYNC_BATCH: '40',
});

async function startLot(lot: Omit<Lot, 'server' | 'staffToken'>): Promise<Lot> {
  const server = await startServer({ dbFile: lot.dbFile, env: syncEnv(lot) });
  const { token } = await server.client().auth.login.mutate({ pin: '482916' });
  return { ...lot, server, staffToken: token };
}

async function restartLot(index: number): Promise<void> {
  const lot = lots[index]!;
  await lot.server.stop('SIGKILL');
  lots[index] = await startLot(lot);
}

async function restartCentral(): Promise<void> {
  await central.stop('SIGKILL');
  central = await startCentralProcess({ pgUrl, lotKeys: KEYS });
  for (const lot of lots) lot.proxy.retarget(central.port);
}

const ignore = () => undefined;

// The kill moments are random (seeded; the seed is printed, MULTI_LOT_SEED repeats a run):
// a lot dies after a random number of its events, central after a random number of stored ones.
const seed = Number(process.env.MULTI_LOT_SEED ?? Date.now() % 1_000_000);
let state = seed || 1;
const random = (low: number, high: number) => {
  state = (state * 48271) % 2147483647;
  return low + (state % (high - low + 1));
};
const lotEvents = (lot: Lot) => {
  const db = openLotDb(lot);
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const centralEvents = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
/** Resolves when `reached` holds or `work` has finished, whichever comes first. */
const untilOr = (work: Promise<unknown>, reached: () => boolean | Promise<boolean>, what: string) =>
  Promise.race([work, waitFor(reached, { what, timeout: 60_000 })]);

/** A round of a lot's day: bookings, a cancel, an extension, a car wash, then two hours pass. */
async function activity(lot: Lot): Promise<void> {
  const client = lot.server.client();
  const staff = lot.server.client(lot.staffToken);
  const made: { id: number; accessToken: string }[] = [];
  for (let slot = 1; slot <= 4; slot++) {
    lot.counter += 1;
    const booking = await client.booking.create.mutate({ slotId: slot, vehicleNumber: `KA01AB${1000 + lot.counter}`, bookingType: 'instant' }).catch(ignore);
    if (booking) made.push(booking);
  }
  if (made[0]) await staff.booking.cancel.mutate({ id: made[0].id, reason: 'test' }).catch(ignore);
  if (made[1]) await lot.server.client(made[1].accessToken).booking.extend.mutate({ id: made[1].id, minutes: 60 }).catch(ignore);
  if (made[2]) await lot.server.client(made[2].accessToken).booking.addCarWash.mutate({ id: made[2].id }).catch(ignore);
  await client.clock.advance.mutate({ ms: 3 * HOUR }).catch(ignore);
}

function openLotDb(lot: Lot) {
  return new Database(lot.dbFile, { readonly: true, fileMustExist: true });
}

beforeAll(async () => {
  cluster = await startTestPostgres();
  pgUrl = cluster.createDatabase('multi_lot');
  pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
  central = await startCentralProcess({ pgUrl, lotKeys: KEYS });
  for (const name of Object.keys(KEYS) as (keyof typeof KEYS)[]) {
    const proxy = await startTcpProxy(central.port);
    lots.push(await startLot({ name, dbFile: tempDbFile(name.replace(' ', '-')), proxy, counter: 0 }));
  }
}, 180_000);

afterAll(async () => {
  for (const lot of lots) {
    await lot.server.stop('SIGKILL').catch(ignore);
    await lot.proxy.close().catch(ignore);
  }
  await central?.stop().catch(ignore);
  await stopAllCentrals();
  await pool?.end().catch(ignore);
  cluster?.stop();
}, 60_000);

describe('two lots and a central server, with a lossy link and kills', () => {
  it('after healing, central holds every event once and in order, the same bookings and money, and the central tariff and slot map', async () => {
    const [a, b] = [0, 1];
    console.log(`[multi-lot] seed ${seed} (MULTI_LOT_SEED=${seed} repeats the kill moments)`);
    // Round 1: clean link.
    await Promise.all(lots.map(activity));
    // Round 2: A's link drops, B's is slow.
    lots[a]!.proxy.set('drop');
    lots[b]!.proxy.set('delay', 200);
    await Promise.all(lots.map(activity));
    // Round 3: A is killed while it books; B's link black-holes.
    lots[b]!.proxy.set('blackhole');
    const inFlight = activity(lots[a]!).catch(ignore);
    const killAfter = lotEvents(lots[a]!) + random(1, 12);
    await untilOr(inFlight, () => lotEvents(lots[a]!) >= killAfter, `lot A at ${killAfter} events`);
    await restartLot(a);
    await inFlight;
    lots[a]!.proxy.set('pass');
    await Promise.all(lots.map(activity));
    // Round 4: central is killed while both push.
    lots[b]!.proxy.set('pass');
    const stored = (await centralEvents()) + random(1, 30);
    const pushing = Promise.all(lots.map(activity));
    await untilOr(pushing, async () => (await centralEvents()) >= stored, `central at ${stored} events`);
    await restartCentral();
    await pushing;

    // Both lots have reported: publish a tariff to both, effective half an hour from the later lot's now.
    await waitFor(async () => (await pool.query('SELECT count(*) AS n FROM lots')).rows[0].n === '2', { what: 'both lots at central', timeout: 60_000 });
    const lotIds = lots.map((lot) => {
      const db = openLotDb(lot);
      try {
        return (db.prepare("SELECT value FROM settings WHERE key = 'sync.lot_id'").get() as { value: string }).value;
      } finally {
        db.close();
      }
    });
    const nows = await Promise.all(lots.map(async (lot) => Date.parse((await lot.server.client().clock.now.query()).now)));
    const effectiveFrom = Math.max(...nows) + HOUR / 2;
    const tariff = defaultTariffFromFlatRate(7000, 60, 'INR');
    await publishTariff(pool, { lotIds, document: tariff, effectiveFrom, by: 'operator' });
    // And a slot map: a new EV bay at every lot, and A8 closed for maintenance.
    const slotMap = {
      slots: [
        { label: 'N1', vehicleType: 'ev', hourlyPrice: 8800 },
        { label: 'A8', vehicleType: 'car', hourlyPrice: 6000, enabled: false },
      ],
    };
    await publishDocument(pool, { kind: 'slot_map', targets: lotIds.map((lotId) => ({ lotId })), document: slotMap, effectiveFrom, by: 'operator' });

    // Round 5: A black-holes again while the documents are due; B is killed.
    lots[a]!.proxy.set('blackhole');
    await Promise.all(lots.map(activity));
    await restartLot(b);

    // Heal.
    for (const lot of lots) {
      lot.proxy.set('pass');
    }
    // A lot killed before its clock moved on may not have reached the documents' start yet: move it there.
    for (const lot of lots) {
      const now = Date.parse((await lot.server.client().clock.now.query()).now);
      if (now <= effectiveFrom) await lot.server.client().clock.advance.mutate({ ms: effectiveFrom - now + 60_000 });
    }
    // Every lot applies the central tariff and slot map once the link is back and their effective_from has passed.
    for (const lot of lots) {
      await waitFor(async () => (await lot.server.client(lot.staffToken).sync.status.query()).lastVersionApplied >= 2, {
        what: `${lot.name} to apply the central tariff and slot map`,
        timeout: 90_000,
      }).catch(async (error: unknown) => {
        const status = await lot.server.client(lot.staffToken).sync.status.query();
        throw new Error(`${(error as Error).message}; its sync status: ${JSON.stringify(status)}`);
      });
    }
    // Bookings after it carry its version and its price.
    const after = await Promise.all(
      lots.map(async (lot) => {
        lot.counter += 1;
        return lot.server.client().booking.create.mutate({ slotId: 6, vehicleNumber: `KA01AB${1000 + lot.counter}`, bookingType: 'instant' });
      }),
    );
    for (const booking of after) expect(booking.price).toBe(7000);

    for (const [index, lot] of lots.entries()) {
      const lotId = lotIds[index]!;
      await waitFor(
        async () => {
          const db = openLotDb(lot);
          let local: {
            events: { seq: number; event_id: string }[];
            bookings: unknown[];
            money: number;
            slots: unknown[];
            applied: { version: number; applied_as: string };
          };
          try {
            local = {
              events: db.prepare('SELECT seq, event_id FROM outbox ORDER BY seq').all() as { seq: number; event_id: string }[],
              bookings: db
                .prepare(
                  `SELECT b.id, b.status, b.price, b.end_ms AS endMs, b.vehicle_number AS plate, t.version AS tariffVersion
                     FROM bookings b LEFT JOIN tariff_versions t ON t.id = b.tariff_version_id ORDER BY b.id`,
                )
                .all(),
              money: (
                db
                  .prepare(
                    `SELECT (SELECT coalesce(sum(price), 0) FROM bookings WHERE status <> 'cancelled')
                        + (SELECT coalesce(sum(a.price), 0) FROM booking_add_ons a JOIN bookings b ON b.id = a.booking_id WHERE b.status <> 'cancelled') AS m`,
                  )
                  .get() as { m: number }
              ).m,
              slots: db
                .prepare("SELECT label, vehicle_type AS type, hourly_price AS price, enabled FROM slots WHERE label IN ('N1', 'A8') ORDER BY label")
                .all(),
              applied: db
                .prepare("SELECT version, applied_as FROM central_documents WHERE applied_at IS NOT NULL AND kind = 'tariff' ORDER BY version DESC LIMIT 1")
                .get() as {
                version: number;
                applied_as: string;
              },
            };
          } finally {
            db.close();
          }
          const events = (
            await pool.query<{ seq: string; event_id: string }>('SELECT seq, event_id FROM events WHERE lot_id = $1 ORDER BY seq', [lotId])
          ).rows.map((row) => ({
            seq: Number(row.seq),
            event_id: row.event_id,
          }));
          const bookings = (
            await pool.query(
              `SELECT booking_id AS id, status, price, end_ms AS "endMs", vehicle_number AS plate, tariff_version AS "tariffVersion" FROM bookings WHERE lot_id = $1 ORDER BY booking_id`,
              [lotId],
            )
          ).rows.map((row) => ({ ...row, id: Number(row.id), price: Number(row.price), endMs: Number(row.endMs) }));
          const money = Number(
            (
              await pool.query(
                `SELECT (SELECT coalesce(sum(price), 0) FROM bookings WHERE lot_id = $1 AND status <> 'cancelled')
                      + (SELECT coalesce(sum(a.price), 0) FROM booking_add_ons a JOIN bookings b USING (lot_id, booking_id) WHERE a.lot_id = $1 AND b.status <> 'cancelled') AS m`,
                [lotId],
              )
            ).rows[0].m,
          );
          // Every event exactly once (primary key + unique event id) and gap-free in order.
          expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
          expect(events).toEqual(local.events);
          expect(bookings).toEqual(local.bookings);
          expect(money).toBe(local.money);
          // The slot map reached the lot, and central's copy of the lot's slots says so too.
          expect(local.slots).toEqual([
            { label: 'A8', type: 'car', price: 6000, enabled: 0 },
            { label: 'N1', type: 'ev', price: 8800, enabled: 1 },
          ]);
          const centralSlots = await pool.query(
            "SELECT label, vehicle_type AS type, hourly_price::int AS price, enabled::int AS enabled FROM slots WHERE lot_id = $1 AND label IN ('N1', 'A8') ORDER BY label",
            [lotId],
          );
          expect(centralSlots.rows).toEqual(local.slots);
          // The tariff bookings made after it carry is the version the central document became at this lot.
          const tariffVersion = (JSON.parse(local.applied.applied_as) as { tariffVersion: number }).tariffVersion;
          const last = bookings.at(-1) as { tariffVersion: number };
          expect(last.tariffVersion).toBe(tariffVersion);
          return true;
        },
        { what: `${lot.name} and central to agree`, timeout: 90_000, interval: 500 },
      );
    }
    const alarms = await pool.query('SELECT kind FROM alarms');
    expect(alarms.rows).toEqual([]);
    const acked = await pool.query<{ acked_version: number }>('SELECT acked_version FROM lots ORDER BY lot_id');
    expect(acked.rows.map((row) => row.acked_version)).toEqual([2, 2]);
  }, 400_000);
});
