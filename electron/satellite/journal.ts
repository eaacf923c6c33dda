import Database from 'better-sqlite3';
import { and, asc, count, eq, gt, isNotNull, isNull, max, sql, type Placeholder } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { randomUUID } from 'node:crypto';
import { newReference, normalizeReference } from '../core/bookings/references';
import type { LeaseGrant, LeasedSlot } from '../core/leases/rules';
import type { JournalEvent, ReplayOutcome } from '../core/leases/journal-events';
import { DomainError, fail } from '../core/shared/errors';
import { normalizeVehicleNumber } from '../../shared/plates';
import { JOURNAL_DDL, journalBookings, journalEvents, journalLeases, journalMeta, journalSchema } from './journal-schema';

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

type BookingRow = Omit<typeof journalBookings.$inferSelect, 'createdMs'>;

const p = sql.placeholder;
const bookingColumns = {
  globalId: journalBookings.globalId,
  slotId: journalBookings.slotId,
  label: journalBookings.label,
  currency: journalBookings.currency,
  reference: journalBookings.reference,
  vehicleNumber: journalBookings.vehicleNumber,
  startMs: journalBookings.startMs,
  endMs: journalBookings.endMs,
  price: journalBookings.price,
  status: journalBookings.status,
  renewedTo: journalBookings.renewedTo,
};
const unacked = isNull(journalEvents.ackedMs);
const eventField = (field: 'kind' | 'globalId') => sql`json_extract(${journalEvents.body}, ${sql.raw(`'$.${field}'`)})`;
const bookedUntilAfter = (now: Placeholder) => and(eq(journalBookings.status, 'booked'), gt(journalBookings.endMs, now));

/** Every query of the journal, prepared once on its connection. */
function prepareJournal(orm: BetterSQLite3Database<typeof journalSchema>) {
  return {
    clearLeases: orm.delete(journalLeases).prepare(),
    insertLease: orm
      .insert(journalLeases)
      .values({ slotId: p('slotId'), body: p('body'), expiresLocal: p('expiresLocal') })
      .prepare(),
    liveLeases: orm
      .select({ body: journalLeases.body, expiresLocal: journalLeases.expiresLocal })
      .from(journalLeases)
      .where(gt(journalLeases.expiresLocal, p('now')))
      .orderBy(asc(journalLeases.slotId))
      .prepare(),
    leaseEnd: orm
      .select({ at: max(journalLeases.expiresLocal) })
      .from(journalLeases)
      .prepare(),
    backlog: orm.select({ n: count() }).from(journalEvents).where(unacked).prepare(),
    pending: orm.select({ body: journalEvents.body }).from(journalEvents).where(unacked).orderBy(asc(journalEvents.seq)).limit(p('limit')).prepare(),
    ack: orm
      .update(journalEvents)
      .set({ ackedMs: sql`${p('now')}`, outcome: sql`${p('outcome')}` })
      .where(and(eq(journalEvents.eventId, p('eventId')), unacked))
      .prepare(),
    refused: orm
      .select({ outcome: journalEvents.outcome })
      .from(journalEvents)
      .where(and(isNotNull(journalEvents.outcome), sql`json_extract(${journalEvents.outcome}, '$.result') = 'refused'`))
      .prepare(),
    setMeta: orm
      .insert(journalMeta)
      .values({ key: p('key'), value: p('value') })
      .onConflictDoUpdate({ target: journalMeta.key, set: { value: sql`excluded.value` } })
      .prepare(),
    meta: orm
      .select({ value: journalMeta.value })
      .from(journalMeta)
      .where(eq(journalMeta.key, p('key')))
      .prepare(),
    pendingSale: orm
      .select({ seq: journalEvents.seq })
      .from(journalEvents)
      .where(and(unacked, sql`${eventField('kind')} IN ('book', 'renew')`, sql`${eventField('globalId')} = ${p('globalId')}`))
      .prepare(),
    pendingAny: orm
      .select({ seq: journalEvents.seq })
      .from(journalEvents)
      .where(and(unacked, sql`${eventField('globalId')} = ${p('globalId')}`))
      .prepare(),
    saleOutcome: orm
      .select({ outcome: journalEvents.outcome })
      .from(journalEvents)
      .where(and(isNotNull(journalEvents.ackedMs), sql`${eventField('kind')} IN ('book', 'renew')`, sql`${eventField('globalId')} = ${p('globalId')}`))
      .prepare(),
    cancel: orm
      .update(journalBookings)
      .set({ status: 'cancelled' })
      .where(eq(journalBookings.globalId, p('globalId')))
      .prepare(),
    activeSlots: orm
      .select({ slotId: journalBookings.slotId })
      .from(journalBookings)
      .where(bookedUntilAfter(p('now')))
      .prepare(),
    all: orm.select(bookingColumns).from(journalBookings).orderBy(asc(journalBookings.createdMs)).prepare(),
    slotClash: orm
      .select({ slotId: journalBookings.slotId })
      .from(journalBookings)
      .where(and(eq(journalBookings.slotId, p('slotId')), bookedUntilAfter(p('now'))))
      .prepare(),
    vehicleBusy: orm
      .select({ slotId: journalBookings.slotId })
      .from(journalBookings)
      .where(and(eq(journalBookings.vehicleNumber, p('vehicleNumber')), bookedUntilAfter(p('now'))))
      .prepare(),
    insertBooking: orm
      .insert(journalBookings)
      .values({
        globalId: p('globalId'),
        slotId: p('slotId'),
        label: p('label'),
        currency: p('currency'),
        reference: p('reference'),
        vehicleNumber: p('vehicleNumber'),
        startMs: p('startMs'),
        endMs: p('endMs'),
        price: p('price'),
        status: p('status'),
        createdMs: p('createdMs'),
      })
      .prepare(),
    setRenewedTo: orm
      .update(journalBookings)
      .set({ renewedTo: sql`${p('renewedTo')}` })
      .where(eq(journalBookings.globalId, p('globalId')))
      .prepare(),
    append: orm
      .insert(journalEvents)
      .values({ eventId: p('eventId'), body: p('body') })
      .prepare(),
    byReference: orm
      .select(bookingColumns)
      .from(journalBookings)
      .where(eq(journalBookings.reference, p('reference')))
      .prepare(),
    byGlobalId: orm
      .select(bookingColumns)
      .from(journalBookings)
      .where(eq(journalBookings.globalId, p('globalId')))
      .prepare(),
  };
}

export class Journal {
  readonly sqlite: Database.Database;
  private readonly q: ReturnType<typeof prepareJournal>;

  constructor(file: string) {
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = FULL');
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.exec(JOURNAL_DDL);
    this.q = prepareJournal(drizzle(this.sqlite, { schema: journalSchema }));
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }

  /** Replaces the leases with the hub's answer; `sentAtLocal` is this clock when the request left (the lease counts from then). */
  storeLeases(grant: LeaseGrant, sentAtLocal: number): void {
    const expiresLocal = sentAtLocal + (Date.parse(grant.expiresAt) - Date.parse(grant.hubNow));
    this.sqlite
      .transaction(() => {
        this.q.clearLeases.run();
        for (const slot of grant.slots) this.q.insertLease.run({ slotId: slot.slotId, body: JSON.stringify(slot), expiresLocal });
      })
      .immediate();
  }

  /** Leases live at `now` (by this clock). */
  liveLeases(now: number): HeldLease[] {
    return this.q.liveLeases.all({ now }).map((row) => ({ ...(JSON.parse(row.body) as LeasedSlot), expiresLocal: row.expiresLocal }));
  }

  /** The latest lease end held, live or not (for the screen). */
  leaseExpiresLocal(): number | null {
    return this.q.leaseEnd.get()?.at ?? null;
  }

  backlog(): number {
    return this.q.backlog.get()?.n ?? 0;
  }

  pendingEvents(limit = 500): JournalEvent[] {
    return this.q.pending.all({ limit }).map((row) => JSON.parse(row.body) as JournalEvent);
  }

  /** The hub's answers: each event is acknowledged once, with what the hub did. */
  acknowledge(outcomes: readonly ReplayOutcome[], now: number): void {
    this.sqlite
      .transaction(() => {
        for (const outcome of outcomes) this.q.ack.run({ now, outcome: JSON.stringify(outcome), eventId: outcome.eventId });
      })
      .immediate();
  }

  /** Events the hub refused (should stay empty; shown to staff if not). */
  refusedEvents(): ReplayOutcome[] {
    return this.q.refused.all().map((row) => JSON.parse(row.outcome ?? 'null') as ReplayOutcome);
  }

  setMeta(key: string, value: string): void {
    this.q.setMeta.run({ key, value });
  }

  meta(key: string): string | null {
    return this.q.meta.get({ key })?.value ?? null;
  }

  // --- selling on leases, while the hub is out of reach -----------------------------------

  /** Sells the lease's stay on a leased slot, now: the sale and its event in one transaction. */
  sell(input: { slotId: number; vehicleNumber: string }, now: number): JournalBooking {
    const vehicleNumber = normalizeVehicleNumber(input.vehicleNumber);
    return this.sqlite
      .transaction(() => {
        const lease = this.leaseFor(input.slotId, now);
        this.assertSlotFree(lease, now);
        this.assertVehicleFree(vehicleNumber, now);
        const booking = this.insertBooking(lease, vehicleNumber, now, null);
        this.append({ kind: 'book', eventId: randomUUID(), ...this.saleOf(booking), at: iso(now) });
        return this.view(booking, now);
      })
      .immediate();
  }

  /**
   * A booking the hub has acknowledged is the hub's: only the hub cancels or renews it. Offline,
   * this kiosk changes only its own sales the hub has not heard of yet.
   */
  private assertPending(globalId: string): void {
    const pending = this.q.pendingSale.get({ globalId });
    if (!pending)
      fail('SERVICE_UNAVAILABLE', 'This booking is kept at the lot’s main kiosk, which cannot be reached right now. Please try again soon.', 'HUB_UNREACHABLE');
  }

  /** Cancels one of this kiosk's own journal bookings (allowed even with no lease left). */
  cancel(globalId: string, now: number): JournalBooking {
    return this.sqlite
      .transaction(() => {
        const row = this.mustFind(globalId);
        this.assertPending(globalId);
        if (row.status === 'cancelled') fail('PRECONDITION_FAILED', 'This booking is already cancelled.');
        if (row.endMs <= now) fail('PRECONDITION_FAILED', 'This booking has already ended, so it cannot be cancelled.');
        this.q.cancel.run({ globalId });
        this.append({ kind: 'cancel', eventId: randomUUID(), globalId, at: iso(now) });
        return this.view(this.mustFind(globalId), now);
      })
      .immediate();
  }

  /** Renews an ended journal booking on its slot, for the lease's stay from now: only while the slot is still leased. */
  renew(globalId: string, now: number): JournalBooking {
    return this.sqlite
      .transaction(() => {
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
      })
      .immediate();
  }

  find(rawReference: string, rawVehicle: string, now: number): JournalBooking | null {
    const row = this.byReference(normalizeReference(rawReference));
    return row && row.vehicleNumber === normalizeVehicleNumber(rawVehicle) ? this.view(row, now) : null;
  }

  /**
   * Where one of this kiosk's sales is kept now: at the hub (its id there) once the hub applied
   * its replay; in the journal until then, or if the hub refused it; undefined if this kiosk
   * never sold it.
   */
  whereIs(globalId: string): { at: 'hub'; bookingId: number } | { at: 'journal' } | undefined {
    if (!this.q.byGlobalId.get({ globalId })) return undefined;
    const acked = this.q.saleOutcome.get({ globalId });
    const outcome = acked?.outcome ? (JSON.parse(acked.outcome) as ReplayOutcome) : undefined;
    return outcome?.result === 'applied' && outcome.bookingId !== undefined ? { at: 'hub', bookingId: outcome.bookingId } : { at: 'journal' };
  }

  get(globalId: string, now: number): JournalBooking {
    return this.view(this.mustFind(globalId), now);
  }

  /** Journal bookings holding a slot at `now`. */
  activeSlotIds(now: number): Set<number> {
    return new Set(this.q.activeSlots.all({ now }).map((row) => row.slotId));
  }

  allBookings(now: number): JournalBooking[] {
    return this.q.all.all().map((row) => this.view(row, now));
  }

  private leaseFor(slotId: number, now: number): HeldLease {
    const live = this.liveLeases(now);
    const lease = live.find((held) => held.slotId === slotId);
    if (lease) return lease;
    if (live.length === 0)
      fail('SERVICE_UNAVAILABLE', 'This kiosk cannot sell right now: it has lost its link to the lot. Please use another kiosk.', 'KIOSK_OUT_OF_SERVICE');
    return fail('CONFLICT', 'This slot is not available at this kiosk right now. Please choose a slot marked available.', 'NOT_AT_THIS_KIOSK');
  }

  private assertSlotFree(lease: HeldLease, now: number): void {
    const clash = this.q.slotClash.get({ slotId: lease.slotId, now });
    if (clash) fail('CONFLICT', `Slot ${lease.label} is already booked. Please choose another slot.`, 'SLOT_TAKEN');
  }

  private assertVehicleFree(vehicleNumber: string, now: number): void {
    const busy = this.q.vehicleBusy.get({ vehicleNumber, now });
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
    this.q.insertBooking.run({ ...row, createdMs: now });
    if (renewedFrom) this.q.setRenewedTo.run({ renewedTo: row.globalId, globalId: renewedFrom });
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
    this.q.append.run({ eventId: event.eventId, body: JSON.stringify(event) });
  }

  private byReference(reference: string): BookingRow | undefined {
    return this.q.byReference.get({ reference });
  }

  private mustFind(globalId: string): BookingRow {
    const row = this.q.byGlobalId.get({ globalId });
    if (!row) throw new DomainError('NOT_FOUND', 'There is no such booking at this kiosk.');
    return row;
  }

  private view(row: BookingRow, now: number): JournalBooking {
    const pending = this.q.pendingAny.get({ globalId: row.globalId }) !== undefined;
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

const iso = (ms: number) => new Date(ms).toISOString();
