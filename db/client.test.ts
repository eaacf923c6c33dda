import type Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, openDatabase, type KioskDatabase } from './client';

const opened: KioskDatabase[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'kiosk-db-')), 'kiosk.db');
const open = (file: string, extra: Partial<Parameters<typeof openDatabase>[0]> = {}) => {
  const db = openDatabase({ file, ...extra });
  opened.push(db);
  return db;
};
const names = (sqlite: Database.Database, type: string) =>
  (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).all(type) as { name: string }[]).map(
    (r) => r.name,
  );
const journal = () => JSON.parse(readFileSync(join(defaultMigrationsFolder(), 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };

/** A copy of the migrations folder holding only the first `count` migrations: an older release. */
function olderRelease(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'kiosk-migrations-'));
  cpSync(defaultMigrationsFolder(), folder, { recursive: true });
  const old = journal();
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...old, entries: old.entries.slice(0, count) }));
  return folder;
}

describe('openDatabase', () => {
  it('creates and migrates a fresh file: every table, index and trigger; WAL; full sync; foreign keys', () => {
    const file = tempFile();
    expect(existsSync(file)).toBe(false);
    const db = open(file);
    expect(existsSync(file)).toBe(true);
    expect(names(db.sqlite, 'table')).toEqual(
      expect.arrayContaining(['audit_log', 'booking_add_ons', 'bookings', 'lots', 'settings', 'slots', 'staff', 'staff_sessions', 'throttles']),
    );
    expect(names(db.sqlite, 'index')).toEqual(
      expect.arrayContaining(['bookings_active_end', 'bookings_active_slot', 'bookings_status_id', 'bookings_reference']),
    );
    expect(names(db.sqlite, 'trigger')).toEqual(
      expect.arrayContaining(['bookings_no_overlap_insert', 'bookings_no_overlap_update', 'bookings_status_forward_only']),
    );
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect((db.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal().entries.length);
  });

  it('opens an up-to-date file again without re-running anything or losing data (idempotent)', () => {
    const file = tempFile();
    const first = open(file);
    first.sqlite.prepare(`INSERT INTO settings (key, value) VALUES ('k', 'v')`).run();
    first.close();
    let pending = -1;
    const again = open(file, { beforeMigrate: (_, n) => (pending = n) });
    expect(pending).toBe(-1); // not called: nothing pending
    expect(again.sqlite.prepare(`SELECT value FROM settings WHERE key = 'k'`).get()).toEqual({ value: 'v' });
    expect((again.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal().entries.length);
    again.close();
    open(file);
  });

  it('upgrades a file made by an older release, keeping its rows, and says how many migrations are pending first', () => {
    expect(journal().entries.length).toBeGreaterThanOrEqual(2);
    const file = tempFile();
    const old = open(file, { migrationsFolder: olderRelease(1) });
    expect(names(old.sqlite, 'trigger')).toEqual([]);
    old.sqlite.prepare(`INSERT INTO lots (name, created_at) VALUES ('Old lot', 1)`).run();
    old.sqlite.prepare(`INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, created_at) VALUES (1, 'A1', 'car', 100, 1)`).run();
    old.close();

    let pending = 0;
    const upgraded = open(file, { beforeMigrate: (_, n) => (pending = n) });
    expect(pending).toBe(journal().entries.length - 1);
    expect(names(upgraded.sqlite, 'trigger')).toContain('bookings_no_overlap_insert');
    expect(upgraded.sqlite.prepare('SELECT name FROM lots').all()).toEqual([{ name: 'Old lot' }]);
  });

  it('lets the database itself refuse an overlapping active booking on one slot, whatever the code checks', () => {
    const db = open(tempFile());
    db.sqlite.prepare(`INSERT INTO lots (name, created_at) VALUES ('L', 1)`).run();
    db.sqlite.prepare(`INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, created_at) VALUES (1, 'A1', 'car', 100, 1)`).run();
    const insert = db.sqlite.prepare(
      `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
       VALUES (?, 1, 1, ?, 'car', 'instant', ?, ?, ?, 100, 0)`,
    );
    insert.run('AAAAAA', 'KA-1', 'booked', 1000, 2000);
    expect(() => insert.run('BBBBBB', 'KA-2', 'booked', 1999, 3000)).toThrow(/BOOKING_OVERLAP/);
    expect(() => insert.run('BBBBBB', 'KA-2', 'booked', 500, 1001)).toThrow(/BOOKING_OVERLAP/);
    expect(() => insert.run('BBBBBB', 'KA-2', 'booked', 1200, 1300)).toThrow(/BOOKING_OVERLAP/);
    insert.run('CCCCCC', 'KA-3', 'booked', 2000, 3000); // back to back is fine
    insert.run('DDDDDD', 'KA-4', 'completed', 1000, 2000); // finished rows may overlap history
    // Nor can an update move a booking onto a taken time, or bring a finished one back.
    expect(() => db.sqlite.prepare(`UPDATE bookings SET start_ms = 1500, end_ms = 2500 WHERE reference = 'CCCCCC'`).run()).toThrow(/BOOKING_OVERLAP/);
    db.sqlite.prepare(`UPDATE bookings SET status = 'cancelled' WHERE reference = 'AAAAAA'`).run();
    expect(() => db.sqlite.prepare(`UPDATE bookings SET status = 'booked' WHERE reference = 'AAAAAA'`).run()).toThrow(/BOOKING_STATUS_FINAL/);
    expect(() => db.sqlite.prepare(`UPDATE bookings SET status = 'booked' WHERE reference = 'DDDDDD'`).run()).toThrow(/BOOKING_STATUS_FINAL/);
    // Two bookings with one time on one slot can never both be active.
    expect(db.sqlite.prepare(`SELECT count(*) AS n FROM bookings WHERE status = 'booked' AND start_ms < 2000 AND end_ms > 1000`).get()).toEqual({ n: 0 });
  });

  it('refuses a second renewal of one booking and a second car wash at the schema level', () => {
    const db = open(tempFile());
    db.sqlite.prepare(`INSERT INTO lots (name, created_at) VALUES ('L', 1)`).run();
    db.sqlite.prepare(`INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, created_at) VALUES (1, 'A1', 'car', 100, 1)`).run();
    const insert = db.sqlite.prepare(
      `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, renewed_from_id, created_at)
       VALUES (?, 1, 1, 'KA-1', 'car', 'instant', 'completed', 1, 2, 100, ?, 0)`,
    );
    const first = Number(insert.run('AAAAAA', null).lastInsertRowid);
    insert.run('BBBBBB', first);
    expect(() => insert.run('CCCCCC', first)).toThrow(/UNIQUE/);
    const wash = db.sqlite.prepare(`INSERT INTO booking_add_ons (booking_id, kind, price, created_at) VALUES (?, 'car_wash', 1, 0)`);
    wash.run(first);
    expect(() => wash.run(first)).toThrow(/UNIQUE/);
  });
});

describe('the tariffs migrations (0003, 0004) on a database from before tariffs', () => {
  it('keep old bookings as they were: held until their end, their own chain, flat rate; the lot in Asia/Kolkata', () => {
    const file = tempFile();
    const before = open(file, { migrationsFolder: olderRelease(3) });
    before.sqlite.prepare(`INSERT INTO lots (name, created_at) VALUES ('Old lot', 0)`).run();
    before.sqlite.prepare(`INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, created_at) VALUES (1, 'A1', 'car', 6000, 0)`).run();
    before.sqlite
      .prepare(
        `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
         VALUES ('OLD1', 1, 1, 'KA-1', 'car', 'instant', 'completed', 1000, 3601000, 6000, 1000)`,
      )
      .run();
    before.close();
    opened.splice(opened.indexOf(before), 1);
    const after = open(file);
    expect(after.sqlite.prepare('SELECT grace_until_ms AS g, chain_start_ms AS c, tariff_version_id AS v FROM bookings').get()).toEqual({
      g: 3601000,
      c: 1000,
      v: null,
    });
    expect(after.sqlite.prepare('SELECT time_zone AS z FROM lots').get()).toEqual({ z: 'Asia/Kolkata' });
    expect(names(after.sqlite, 'trigger')).toEqual(
      expect.arrayContaining(['bookings_no_overlap_insert', 'bookings_no_overlap_update', 'bookings_fill_hold', 'tariff_versions_append_only_update']),
    );
    // A booking right at the old one's end is still allowed (no grace before tariffs).
    expect(() =>
      after.sqlite
        .prepare(
          `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
           VALUES ('NEW1', 1, 1, 'KA-2', 'car', 'advance', 'booked', 3601000, 7201000, 6000, 2000)`,
        )
        .run(),
    ).not.toThrow();
  });
});
