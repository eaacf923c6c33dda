import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { AddressInfo } from 'node:net';
import { addLotCredential, addStaffAccount, findLotCredential } from '../../central/auth';
import * as schema from '../../central/db/schema';
import { createCentralServer, type CentralServer } from '../../central/server';
import { bookingsPage, siteReports } from '../../central/operator/queries';
import { lockLotForPush } from '../../central/store/lots';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

// The drizzle schema against the hand-written migration, and the console's store queries:
// keyset paging of bookings and "today" in each site's own time zone.
let pg: TestPostgres;
let central: CentralServer;

beforeAll(async () => {
  pg = await startTestPostgres();
  central = await createCentralServer({ pgUrl: pg.createDatabase('layout_test'), poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await central?.close();
  pg?.stop();
});

const tables: PgTable[] = Object.values(schema).filter((value) => is(value, PgTable));

/** Creates a lot (credential, lot row) and one site in `timeZone`; returns the lot id. */
async function lotWithSite(lotId: string, timeZone: string): Promise<string> {
  await addLotCredential(central.db, `Lot ${lotId.slice(0, 4)}`, `layout-key-${lotId}`);
  const credential = (await findLotCredential(central.db, `layout-key-${lotId}`))!;
  await lockLotForPush(central.db, { lotId, credentialId: credential.credentialId, name: `Lot ${timeZone}` });
  await central.db.insert(schema.sites).values({ lotId, localLotId: 1, name: 'Main', currency: 'INR', timeZone, settings: {}, lastSeq: 1 });
  return lotId;
}

function booking(lotId: string, bookingId: number, createdAt: Date, extra: Partial<typeof schema.bookings.$inferInsert> = {}) {
  const start = new Date(createdAt.getTime());
  return {
    lotId,
    bookingId,
    localLotId: 1,
    reference: `R${String(bookingId).padStart(5, '0')}`,
    slotId: bookingId,
    vehicleNumber: `KA-01-AB-${1000 + bookingId}`,
    vehicleType: 'car',
    bookingType: 'instant',
    status: 'completed',
    startMs: start.getTime(),
    endMs: start.getTime() + 3_600_000,
    startAt: start,
    endAt: new Date(start.getTime() + 3_600_000),
    price: 100,
    createdAt,
    snapshot: {},
    lastSeq: bookingId,
    ...extra,
  };
}

/** Midnight of today in `timeZone` as an instant (zones without daylight saving only). */
function localMidnight(timeZone: string, now = new Date()): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const localAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = localAsUtc - Math.floor(now.getTime() / 1000) * 1000;
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) - offset);
}

describe('central store layout', () => {
  it('declares in drizzle exactly the tables, columns, keys and indexes the migration creates', async () => {
    const { rows: columns } = await central.pool.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>(
      `SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'central_migrations' ORDER BY table_name, column_name`,
    );
    const declared = tables.flatMap((table) => {
      const config = getTableConfig(table);
      return config.columns.map((column) => ({
        table_name: config.name,
        column_name: column.name,
        is_nullable: column.notNull ? 'NO' : 'YES',
        type: column.getSQLType(),
      }));
    });
    const sqlType = (type: string) => ({ serial: 'integer', bigserial: 'bigint', 'timestamp with time zone': 'timestamp with time zone' })[type] ?? type;
    expect(declared.map((c) => [c.table_name, c.column_name, c.is_nullable, sqlType(c.type)]).sort()).toEqual(
      columns.map((c) => [c.table_name, c.column_name, c.is_nullable, c.data_type]).sort(),
    );
    const { rows: indexes } = await central.pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'central_migrations'",
    );
    const declaredNames = tables.flatMap((table) => {
      const config = getTableConfig(table);
      const pk = config.primaryKeys.map((key) => key.getName());
      const single = config.columns.filter((column) => column.primary).map(() => `${config.name}_pkey`);
      const uniques = [...config.uniqueConstraints.map((u) => u.getName()), ...config.columns.filter((c) => c.isUnique).map((c) => c.uniqueName!)];
      return [...pk, ...single, ...uniques, ...config.indexes.map((index) => index.config.name!)];
    });
    // The exclusion constraint's index is the one thing drizzle does not declare (it stays in the migration).
    expect([...declaredNames, 'bookings_no_double_booking'].sort()).toEqual(indexes.map((row) => row.indexname).sort());
  });

  it('pages bookings newest first by keyset, every match once, ties on created_at included', async () => {
    const lotId = await lotWithSite('6a3f1c52-0d1e-4b7a-9c2d-111111111111', 'Asia/Kolkata');
    const base = new Date('2026-11-01T10:00:00Z').getTime();
    // 25 bookings, created in pairs at the same instant (ties the cursor must break).
    await central.db.insert(schema.bookings).values(Array.from({ length: 25 }, (_, i) => booking(lotId, i + 1, new Date(base + Math.floor(i / 2) * 60_000))));
    const seen: number[] = [];
    let after = null;
    let pages = 0;
    do {
      const page = await bookingsPage(central.db, '', after, 7);
      seen.push(...page.rows.map((row) => row.bookingId));
      after = page.next;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    const searched = await bookingsPage(central.db, 'KA01AB1007', null, 7);
    expect(searched.rows.map((row) => [row.bookingId, row.lot, row.timeZone])).toEqual([[7, 'Lot Asia/Kolkata', 'Asia/Kolkata']]);
    expect(searched.next).toBeNull();
  });

  it("counts today's revenue from midnight in each site's own zone", async () => {
    // UTC+14 and UTC-11: at every instant their calendar dates differ, so one "today" in UTC would be wrong for one of them.
    const east = await lotWithSite('6a3f1c52-0d1e-4b7a-9c2d-222222222222', 'Pacific/Kiritimati');
    const west = await lotWithSite('6a3f1c52-0d1e-4b7a-9c2d-333333333333', 'Pacific/Pago_Pago');
    for (const [lotId, zone] of [
      [east, 'Pacific/Kiritimati'],
      [west, 'Pacific/Pago_Pago'],
    ] as const) {
      const midnight = localMidnight(zone).getTime();
      await central.db
        .insert(schema.bookings)
        .values([
          booking(lotId, 1, new Date(midnight - 60_000), { price: 1000 }),
          booking(lotId, 2, new Date(midnight + 1), { price: 300 }),
          booking(lotId, 3, new Date(midnight + 2), { price: 5000, status: 'cancelled' }),
        ]);
    }
    const reports = await siteReports(central.db);
    const figures = (zone: string) => reports.find((report) => report.timeZone === zone)!;
    expect([figures('Pacific/Kiritimati').revenueToday, figures('Pacific/Kiritimati').revenueTotal]).toEqual([300, 1300]);
    expect([figures('Pacific/Pago_Pago').revenueToday, figures('Pacific/Pago_Pago').revenueTotal]).toEqual([300, 1300]);
  });
  it('the console pages the bookings list through "Older bookings" links, 100 a page', async () => {
    const lotId = await lotWithSite('6a3f1c52-0d1e-4b7a-9c2d-444444444444', 'Europe/London');
    const base = new Date('2026-10-01T08:00:00Z').getTime();
    await central.db
      .insert(schema.bookings)
      .values(
        Array.from({ length: 130 }, (_, i) => booking(lotId, i + 1, new Date(base + i * 60_000), { reference: `PAGE${String(i + 1).padStart(3, '0')}` })),
      );
    await addStaffAccount(central.db, 'operator', 'correct horse battery');
    await new Promise<void>((resolve) => central.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(central.server.address() as AddressInfo).port}`;
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'operator', password: 'correct horse battery' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const references: string[] = [];
    let path: string | null = '/bookings?q=PAGE';
    for (let pages = 0; path && pages < 5; pages++) {
      const res: Response = await fetch(`${url}${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const html: string = await res.text();
      references.push(...[...html.matchAll(/<td>(PAGE\d{3})<\/td>/g)].map((match) => match[1]!));
      path = /href="(\/bookings\?[^"]+)">Older bookings/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;
    }
    expect(references).toEqual(Array.from({ length: 130 }, (_, i) => `PAGE${String(130 - i).padStart(3, '0')}`));
  });
});
