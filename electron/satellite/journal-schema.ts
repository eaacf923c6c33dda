import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The satellite journal's own schema (issue 14; electron/satellite/journal.ts): a small SQLite
 * file beside the satellite, never the lot's database. The tables below type the journal's
 * queries; JOURNAL_DDL creates them (the file builds itself on open, it has no migrations).
 * Change both together.
 */

/** The leases the hub granted: the slot as leased (JSON LeasedSlot) and the end by this clock. */
export const journalLeases = sqliteTable('leases', {
  slotId: integer('slot_id').primaryKey(),
  body: text('body').notNull(),
  expiresLocal: integer('expires_local').notNull(),
});

/** Bookings this satellite sold (the hub takes them over by replay). */
export const journalBookings = sqliteTable('bookings', {
  globalId: text('global_id').primaryKey(),
  slotId: integer('slot_id').notNull(),
  label: text('label').notNull(),
  currency: text('currency').notNull(),
  reference: text('reference').notNull().unique(),
  vehicleNumber: text('vehicle_number').notNull(),
  startMs: integer('start_ms').notNull(),
  endMs: integer('end_ms').notNull(),
  price: integer('price').notNull(),
  status: text('status', { enum: ['booked', 'cancelled'] }).notNull(),
  /** The global id of the booking that renewed this one. */
  renewedTo: text('renewed_to').unique(),
  createdMs: integer('created_ms').notNull(),
});

/** Every sale, cancel and renewal as a journal event (JSON), until the hub acknowledges it. */
export const journalEvents = sqliteTable('events', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  eventId: text('event_id').notNull().unique(),
  body: text('body').notNull(),
  ackedMs: integer('acked_ms'),
  /** JSON ReplayOutcome: what the hub did with it. */
  outcome: text('outcome'),
});

export const journalMeta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const journalSchema = { journalLeases, journalBookings, journalEvents, journalMeta };

/** Creates the tables above on a new journal file (idempotent). */
export const JOURNAL_DDL = `
CREATE TABLE IF NOT EXISTS leases (
  slot_id INTEGER PRIMARY KEY, body TEXT NOT NULL, expires_local INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bookings (
  global_id TEXT PRIMARY KEY, slot_id INTEGER NOT NULL, label TEXT NOT NULL, currency TEXT NOT NULL, reference TEXT NOT NULL UNIQUE, vehicle_number TEXT NOT NULL,
  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL CHECK (end_ms > start_ms), price INTEGER NOT NULL CHECK (price >= 0),
  status TEXT NOT NULL CHECK (status IN ('booked','cancelled')), renewed_to TEXT UNIQUE, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,
  acked_ms INTEGER, outcome TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Two journal bookings never overlap on one slot (the satellite's own last line of defence).
CREATE TRIGGER IF NOT EXISTS journal_no_overlap BEFORE INSERT ON bookings BEGIN
  SELECT RAISE(ABORT, 'BOOKING_OVERLAP') WHERE EXISTS (
    SELECT 1 FROM bookings b WHERE b.slot_id = NEW.slot_id AND b.status = 'booked'
      AND b.start_ms < NEW.end_ms AND NEW.start_ms < b.end_ms);
END;`;
