import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { newReference, normalizeReference } from '../core/bookings/references';
import type { LeaseGrant, LeasedSlot } from '../core/leases/rules';
import type { JournalEvent, ReplayOutcome } from '../core/leases/journal-events';
import { DomainError, fail } from '../core/shared/errors';
import { normalizeVehicleNumber } from '../../shared/plates';

/**
 * A satellite's own SQLite file (issue 14): the leases it holds and every sale, cancel and
 * renewal it made while the hub was out of reach, as events to replay. It never holds the
 * lot's database: the hub is the only writer; this is the satellite's promise to it.
 * Same durability as the hub (WAL, synchronous=FULL): a sale shown on screen survives a crash.
 */

export interface JournalBooking {
  globalId: string;
  slotId: number;
  label: string;
  reference: string;
  vehicleNumber: string;
  startTime: string;
  endTime: string;
  price: number;
  currency: string;
  status: 'booked' | 'completed' | 'cancelled';
  /** Still waiting for the hub to take it. */
  pending: boolean;
}

export interface HeldLease extends LeasedSlot {
  /** By this satellite's clock: sells on it only before then. */
  expiresLocal: number;
}

interface BookingRow {
  globalId: string;
  slotId: number;
  label: string;
  currency: string;
  reference: string;
  vehicleNumber: string;
  startMs: number;
  endMs: number;
  price: number;
  status: 'booked' | 'cancelled';
  renewedTo: string | null;
}

const SCHEMA = `
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

export class Journal {
  readonly sqlite: Database.Database;

  constructor(file: string) {
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = FULL');
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.exec(SCHEMA);
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }

  /** Replaces the leases with the hub's answer; `sentAtLocal` is this clock when the request left (the lease counts from then). */
  storeLeases(grant: LeaseGrant, sentAtLocal: number): void {
    const expiresLocal = sentAtLocal + (Date.parse(grant.expiresAt) - Date.parse(grant.hubNow));
    this.sqlite.transaction(() => {
      this.sqlite.prepare('DELETE FROM leases').run();
      const insert = this.sqlite.prepare('INSERT INTO leases (slot_id, body, expires_local) VALUES (?, ?, ?)');
      for (const slot of grant.slots) insert.run(slot.slotId, JSON.stringify(slot), expiresLocal);
    }).immediate();
  }

  /** Leases live at `now` (by this clock). */
  liveLeases(now: number): HeldLease[] {
    const rows = this.sqlite.prepare('SELECT body, expires_local AS expiresLocal FROM leases WHERE expires_local > ? ORDER BY slot_id').all(now) as { body: string; expiresLocal: number }[];
    return rows.map((row) => ({ ...(JSON.parse(row.body) as LeasedSlot), expiresLocal: row.expiresLocal }));
  }

  /** The latest lease end held, live or not (for the screen). */
  leaseExpiresLocal(): number | null {
    return (this.sqlite.prepare('SELECT max(expires_local) AS at FROM leases').get() as { at: number | null }).at;
  }

  backlog(): number {
    return (this.sqlite.prepare('SELECT count(*) AS n FROM events WHERE acked_ms IS NULL').get() as { n: number }).n;
  }

  pendingEvents(limit = 500): JournalEvent[] {
    const rows = this.sqlite.prepare('SELECT body FROM events WHERE acked_ms IS NULL ORDER BY seq LIMIT ?').all(limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as JournalEvent);
  }

  /** The hub's answers: each event is acknowledged once, with what the hub did. */
  acknowledge(outcomes: readonly ReplayOutcome[], now: number): void {
    const ack = this.sqlite.prepare('UPDATE events SET acked_ms = ?, outcome = ? WHERE event_id = ? AND acked_ms IS NULL');
    this.sqlite.transaction(() => {
      for (const outcome of outcomes) ack.run(now, JSON.stringify(outcome), outcome.eventId);
    }).immediate();
  }

  /** Events the hub refused (should stay empty; shown to staff if not). */
  refusedEvents(): ReplayOutcome[] {
    const rows = this.sqlite.prepare(`SELECT outcome FROM events WHERE outcome IS NOT NULL AND json_extract(outcome, '$.result') = 'refused'`).all() as { outcome: string }[];
    return rows.map((row) => JSON.parse(row.outcome) as ReplayOutcome);
  }

  setMeta(key: string, value: string): void {
    this.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  meta(key: string): string | null {
    return (this.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }

  // --- selling on leases, while the hub is out of reach -----------------------------------

  /** Sells the lease's stay on a leased slot, now: the sale and its event in one transaction. */
  sell(input: { slotId: number; vehicleNumber: string }, now: number): JournalBooking {
    const vehicleNumber = normalizeVehicleNumber(input.vehicleNumber);
    return this.sqlite.transaction(() => {
      const lease = this.leaseFor(input.slotId, now);
      this.assertSlotFree(lease, now);
      this.assertVehicleFree(vehicleNumber, now);
      const booking = this.insertBooking(lease, vehicleNumber, now, null);
      this.append({ kind: 'book', eventId: randomUUID(), ...this.saleOf(booking), at: iso(now) });
      return this.view(booking, now);
    }).immediate();
  }

  /**
   * A booking the hub has acknowledged is the hub's: only the hub cancels or renews it. Offline,
   * this kiosk changes only its own sales the hub has not heard of yet.
   */
  private assertPending(globalId: string): void {
    const pending = this.sqlite.prepare(`SELECT 1 FROM events WHERE acked_ms IS NULL AND json_extract(body, '$.kind') IN ('book','renew') AND json_extract(body, '$.globalId') = ?`).get(globalId);
    if (!pending) fail('SERVICE_UNAVAILABLE', 'This booking is kept at the lot’s main kiosk, which cannot be reached right now. Please try again soon.', 'HUB_UNREACHABLE');
  }

  /** Cancels one of this kiosk's own journal bookings (allowed even with no lease left). */
  cancel(globalId: string, now: number): JournalBooking {
    return this.sqlite.transaction(() => {
      const row = this.mustFind(globalId);
      this.assertPending(globalId);
      if (row.status === 'cancelled') fail('PRECONDITION_FAILED', 'This booking is already cancelled.');
      if (row.endMs <= now) fail('PRECONDITION_FAILED', 'This booking has already ended, so it cannot be cancelled.');
      this.sqlite.prepare(`UPDATE bookings SET status = 'cancelled' WHERE global_id = ?`).run(globalId);
      this.append({ kind: 'cancel', eventId: randomUUID(), globalId, at: iso(now) });
      return this.view(this.mustFind(globalId), now);
    }).immediate();
  }

  /** Renews an ended journal booking on its slot, for the lease's stay from now: only while the slot is still leased. */
  renew(globalId: string, now: number): JournalBooking {
    return this.sqlite.transaction(() => {
      const old = this.mustFind(globalId);
      this.assertPending(globalId);
      if (old.status === 'cancelled') fail('PRECONDITION_FAILED', 'A cancelled booking cannot be renewed. Please make a new booking.');
      if (old.endMs > now) fail('PRECONDITION_FAILED', 'This booking is still running. It can be renewed once it has ended.');
      if (old.renewedTo !== null) fail('PRECONDITION_FAILED', 'This booking has already been renewed.');
      const lease = this.leaseFor(old.slotId, now);
      this.assertSlotFree(lease, now);
      const booking = this.insertBooking(lease, old.vehicleNumber, now, old.globalId);
      this.append({ kind: 'renew', eventId: randomUUID(), ...this.saleOf(booking), fromGlobalId: old.globalId, at: iso(now) });
      return this.view(booking, now);
    }).immediate();
  }

  find(rawReference: string, rawVehicle: string, now: number): JournalBooking | null {
    const row = this.byReference(normalizeReference(rawReference));
    return row && row.vehicleNumber === normalizeVehicleNumber(rawVehicle) ? this.view(row, now) : null;
  }

  get(globalId: string, now: number): JournalBooking {
    return this.view(this.mustFind(globalId), now);
  }

  /** Journal bookings holding a slot at `now`. */
  activeSlotIds(now: number): Set<number> {
    const rows = this.sqlite.prepare(`SELECT slot_id AS slotId FROM bookings WHERE status = 'booked' AND end_ms > ?`).all(now) as { slotId: number }[];
    return new Set(rows.map((row) => row.slotId));
  }

  allBookings(now: number): JournalBooking[] {
    return (this.sqlite.prepare(`${SELECT_BOOKING} ORDER BY created_ms`).all() as BookingRow[]).map((row) => this.view(row, now));
  }

  private leaseFor(slotId: number, now: number): HeldLease {
    const live = this.liveLeases(now);
    const lease = live.find((held) => held.slotId === slotId);
    if (lease) return lease;
    if (live.length === 0) fail('SERVICE_UNAVAILABLE', 'This kiosk cannot sell right now: it has lost its link to the lot. Please use another kiosk.', 'KIOSK_OUT_OF_SERVICE');
    return fail('CONFLICT', 'This slot is not available at this kiosk right now. Please choose a slot marked available.', 'NOT_AT_THIS_KIOSK');
  }

  private assertSlotFree(lease: HeldLease, now: number): void {
    const clash = this.sqlite.prepare(`SELECT 1 FROM bookings WHERE slot_id = ? AND status = 'booked' AND end_ms > ?`).get(lease.slotId, now);
    if (clash) fail('CONFLICT', `Slot ${lease.label} is already booked. Please choose another slot.`, 'SLOT_TAKEN');
  }

  private assertVehicleFree(vehicleNumber: string, now: number): void {
    const busy = this.sqlite.prepare(`SELECT 1 FROM bookings WHERE vehicle_number = ? AND status = 'booked' AND end_ms > ?`).get(vehicleNumber, now);
    if (busy) fail('CONFLICT', `${vehicleNumber} already has a booking for that time. Use "Find my booking" to see it.`, 'VEHICLE_BUSY');
  }

  private insertBooking(lease: HeldLease, vehicleNumber: string, now: number, renewedFrom: string | null): BookingRow {
    const row: BookingRow = {
      globalId: randomUUID(),
      slotId: lease.slotId,
      label: lease.label,
      currency: lease.currency,
      // The hub keeps this reference unless it is taken there (then it says which one it gave).
      reference: newReference((ref) => this.byReference(ref) !== undefined),
      vehicleNumber,
      startMs: now,
      endMs: now + lease.stayMinutes * 60_000,
      price: lease.price,
      status: 'booked',
      renewedTo: null,
    };
    this.sqlite
      .prepare('INSERT INTO bookings (global_id, slot_id, label, currency, reference, vehicle_number, start_ms, end_ms, price, status, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.globalId, row.slotId, row.label, row.currency, row.reference, row.vehicleNumber, row.startMs, row.endMs, row.price, row.status, now);
    if (renewedFrom) this.sqlite.prepare('UPDATE bookings SET renewed_to = ? WHERE global_id = ?').run(row.globalId, renewedFrom);
    return row;
  }

  private saleOf(row: BookingRow) {
    return {
      globalId: row.globalId,
      slotId: row.slotId,
      reference: row.reference,
      vehicleNumber: row.vehicleNumber,
      startTime: iso(row.startMs),
      endTime: iso(row.endMs),
      price: row.price,
    };
  }

  private append(event: JournalEvent): void {
    this.sqlite.prepare('INSERT INTO events (event_id, body) VALUES (?, ?)').run(event.eventId, JSON.stringify(event));
  }

  private byReference(reference: string): BookingRow | undefined {
    return this.sqlite.prepare(`${SELECT_BOOKING} WHERE reference = ?`).get(reference) as BookingRow | undefined;
  }

  private mustFind(globalId: string): BookingRow {
    const row = this.sqlite.prepare(`${SELECT_BOOKING} WHERE global_id = ?`).get(globalId) as BookingRow | undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'There is no such booking at this kiosk.');
    return row;
  }

  private view(row: BookingRow, now: number): JournalBooking {
    const pending = this.sqlite.prepare(`SELECT 1 FROM events WHERE acked_ms IS NULL AND json_extract(body, '$.globalId') = ?`).get(row.globalId) !== undefined;
    return {
      globalId: row.globalId,
      slotId: row.slotId,
      label: row.label,
      reference: row.reference,
      vehicleNumber: row.vehicleNumber,
      startTime: iso(row.startMs),
      endTime: iso(row.endMs),
      price: row.price,
      currency: row.currency,
      status: row.status === 'cancelled' ? 'cancelled' : row.endMs <= now ? 'completed' : 'booked',
      pending,
    };
  }

}

const SELECT_BOOKING = `SELECT global_id AS globalId, slot_id AS slotId, label, currency, reference, vehicle_number AS vehicleNumber, start_ms AS startMs,
  end_ms AS endMs, price, status, renewed_to AS renewedTo FROM bookings`;

const iso = (ms: number) => new Date(ms).toISOString();
