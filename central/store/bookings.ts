import { and, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { isExclusionViolation, type CentralTx, type Executor } from '../db/client';
import { bookingAddOns, bookings } from '../db/schema';
import type { WireEvent } from '../sync/schemas';
import { eventBatch, msToTimestamp } from './batch';
import { recordAlarm } from './events';

/** The lots' bookings and their add-ons, derived from events: the only module that queries them. */

export type CentralBooking = typeof bookings.$inferSelect;
export type CentralAddOn = typeof bookingAddOns.$inferSelect;

export const isBookingEvent = (kind: string) => kind.startsWith('booking.') && kind !== 'booking.add_on';

/**
 * The batch's booking events, reduced to the latest snapshot per booking and written in
 * sequence order; a row already written by a later event is left alone. `inConflict` marks
 * the rows as the exclusion alarm's (stored, but outside the constraint).
 */
const upsertStatement = (
  lotId: string,
  batchJson: string,
  inConflict: boolean,
) => sql`INSERT INTO ${bookings} AS b (lot_id, booking_id, local_lot_id, reference,
  slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, start_at, end_at, price, renewed_from_id, tariff_version,
  created_at, cancelled_at, cancelled_by, cancel_reason, snapshot, last_seq, in_conflict)
SELECT ${lotId}::uuid, (p->>'id')::bigint, (p->>'lotId')::int, p->>'reference', (p->>'slotId')::bigint, p->>'vehicleNumber',
  p->>'vehicleType', p->>'bookingType', p->>'status', (p->>'startMs')::bigint, (p->>'endMs')::bigint, ${msToTimestamp('startMs')}, ${msToTimestamp('endMs')},
  (p->>'price')::bigint, (p->>'renewedFromId')::bigint, (p->>'tariffVersion')::int, ${msToTimestamp('createdAt')}, ${msToTimestamp('cancelledAt')},
  p->>'cancelledBy', p->>'cancelReason', p, seq, ${inConflict}::boolean
FROM (
  SELECT DISTINCT ON ((payload->>'id')::bigint) seq, payload AS p FROM ${eventBatch(batchJson)}
   WHERE kind LIKE 'booking.%' AND kind <> 'booking.add_on'
   ORDER BY (payload->>'id')::bigint, seq DESC) latest
ORDER BY seq
ON CONFLICT (lot_id, booking_id) DO UPDATE SET
  reference = EXCLUDED.reference, slot_id = EXCLUDED.slot_id, vehicle_number = EXCLUDED.vehicle_number,
  vehicle_type = EXCLUDED.vehicle_type, booking_type = EXCLUDED.booking_type, status = EXCLUDED.status,
  start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
  price = EXCLUDED.price, renewed_from_id = EXCLUDED.renewed_from_id, tariff_version = EXCLUDED.tariff_version,
  cancelled_at = EXCLUDED.cancelled_at, cancelled_by = EXCLUDED.cancelled_by, cancel_reason = EXCLUDED.cancel_reason,
  snapshot = EXCLUDED.snapshot, last_seq = EXCLUDED.last_seq, in_conflict = b.in_conflict OR EXCLUDED.in_conflict
  WHERE b.last_seq < EXCLUDED.last_seq`;

const asBatch = (events: WireEvent[]) => JSON.stringify(events.map((event) => ({ seq: event.seq, kind: event.kind, payload: event.payload })));

/**
 * The set-based upsert first; if the exclusion constraint fires (a lot broke its own
 * no-double-booking invariant), redo the batch's bookings one event at a time and store the
 * offending row marked in_conflict, with an alarm, instead of refusing the lot's history.
 * Savepoints are drizzle's nested transactions. Returns how many alarms it recorded.
 */
export async function upsertBookingsFromBatch(tx: CentralTx, lotId: string, events: WireEvent[], batchJson: string): Promise<number> {
  // Only an active booking can meet the constraint: a batch of completions and cancels needs no savepoint.
  if (!events.some((event) => isBookingEvent(event.kind) && event.payload.status === 'booked')) {
    await tx.execute(upsertStatement(lotId, batchJson, false));
    return 0;
  }
  try {
    await tx.transaction((batch) => batch.execute(upsertStatement(lotId, batchJson, false)));
    return 0;
  } catch (error) {
    if (!isExclusionViolation(error)) throw error;
  }
  let alarms = 0;
  for (const event of events.filter((one) => isBookingEvent(one.kind))) {
    const single = asBatch([event]);
    try {
      await tx.transaction((row) => row.execute(upsertStatement(lotId, single, false)));
    } catch (error) {
      if (!isExclusionViolation(error)) throw error;
      await tx.execute(upsertStatement(lotId, single, true));
      const cause = (error as { cause?: unknown }).cause ?? error;
      await recordAlarm(tx, { lotId, seq: event.seq, kind: 'double_booking', detail: { message: (cause as Error).message, booking: event.payload } });
      alarms += 1;
    }
  }
  return alarms;
}

/** The batch's booking.add_on events (each once). */
export async function insertAddOnsFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`INSERT INTO ${bookingAddOns} (lot_id, add_on_id, booking_id, kind, price, created_at)
SELECT ${lotId}::uuid, (p->>'id')::bigint, (p->>'bookingId')::bigint, p->>'kind', (p->>'price')::bigint, ${msToTimestamp('createdAt')}
  FROM (SELECT payload AS p FROM ${eventBatch(batchJson)} WHERE kind = 'booking.add_on') x
ON CONFLICT DO NOTHING`);
}

export type BookingListRow = Pick<
  CentralBooking,
  'lotId' | 'bookingId' | 'localLotId' | 'reference' | 'vehicleNumber' | 'status' | 'startAt' | 'endAt' | 'price' | 'tariffVersion' | 'inConflict' | 'createdAt'
>;

/** Where the previous page ended (newest first): its last row's creation time and key. */
export interface BookingCursor {
  createdAt: Date;
  lotId: string;
  bookingId: number;
}

/**
 * Bookings across lots, newest first, a page at a time by keyset (created_at, lot_id,
 * booking_id): `after` is the last row of the previous page. `search` matches part of a plate
 * or a reference, case-insensitive; plates are stored as KA-01-AB-1234 and compared without
 * separators, as the lot does.
 */
export async function searchBookings(db: Executor, search: string, options: { limit?: number; after?: BookingCursor | null } = {}): Promise<BookingListRow[]> {
  const needle = search.replace(/[%_\\\s-]/g, '');
  const conditions: SQL[] = [];
  if (needle) conditions.push(or(ilike(sql`replace(${bookings.vehicleNumber}, '-', '')`, `%${needle}%`), ilike(bookings.reference, `%${needle}%`))!);
  const after = options.after;
  if (after) {
    conditions.push(
      or(
        lt(bookings.createdAt, after.createdAt),
        and(eq(bookings.createdAt, after.createdAt), sql`(${bookings.lotId}, ${bookings.bookingId}) < (${after.lotId}::uuid, ${after.bookingId}::bigint)`),
      )!,
    );
  }
  return db
    .select({
      lotId: bookings.lotId,
      bookingId: bookings.bookingId,
      localLotId: bookings.localLotId,
      reference: bookings.reference,
      vehicleNumber: bookings.vehicleNumber,
      status: bookings.status,
      startAt: bookings.startAt,
      endAt: bookings.endAt,
      price: bookings.price,
      tariffVersion: bookings.tariffVersion,
      inConflict: bookings.inConflict,
      createdAt: bookings.createdAt,
    })
    .from(bookings)
    .where(and(...conditions))
    .orderBy(desc(bookings.createdAt), desc(bookings.lotId), desc(bookings.bookingId))
    .limit(options.limit ?? 100);
}

export interface SiteFigures {
  occupied: number;
  /** Sold since the site's local midnight (cancelled bookings excepted), add-ons included. */
  revenueToday: number;
  revenueTotal: number;
}

/**
 * Occupancy now and revenue per site; "today" starts at midnight in each site's own time zone
 * (the caller passes the zones: sites belong to the lots store). Keyed `${lotId}/${localLotId}`.
 */
export async function siteFigures(db: Executor, sitesWithZones: { lotId: string; localLotId: number; timeZone: string }[]): Promise<Map<string, SiteFigures>> {
  if (!sitesWithZones.length) return new Map();
  const zones = JSON.stringify(sitesWithZones.map((site) => ({ lot_id: site.lotId, local_lot_id: site.localLotId, time_zone: site.timeZone })));
  const result = await db.execute<{ lot_id: string; local_lot_id: number; occupied: string; revenue_today: string; revenue_total: string }>(sql`
    WITH zone AS (
      SELECT lot_id, local_lot_id, date_trunc('day', now() AT TIME ZONE time_zone) AT TIME ZONE time_zone AS day_start
        FROM jsonb_to_recordset(${zones}::jsonb) AS z(lot_id uuid, local_lot_id int, time_zone text)),
    money AS (
      SELECT b.lot_id, b.local_lot_id, b.created_at,
             b.price + coalesce((SELECT sum(a.price) FROM ${bookingAddOns} a WHERE a.lot_id = b.lot_id AND a.booking_id = b.booking_id), 0) AS amount
        FROM ${bookings} b WHERE b.status <> 'cancelled')
    SELECT z.lot_id, z.local_lot_id,
           (SELECT count(*) FROM ${bookings} b WHERE b.lot_id = z.lot_id AND b.local_lot_id = z.local_lot_id AND b.status = 'booked'
               AND b.start_at <= now() AND b.end_at > now()) AS occupied,
           (SELECT coalesce(sum(amount), 0) FROM money m WHERE m.lot_id = z.lot_id AND m.local_lot_id = z.local_lot_id
               AND m.created_at >= z.day_start) AS revenue_today,
           (SELECT coalesce(sum(amount), 0) FROM money m WHERE m.lot_id = z.lot_id AND m.local_lot_id = z.local_lot_id) AS revenue_total
      FROM zone z`);
  return new Map(
    result.rows.map((row) => [
      `${row.lot_id}/${row.local_lot_id}`,
      { occupied: Number(row.occupied), revenueToday: Number(row.revenue_today), revenueTotal: Number(row.revenue_total) },
    ]),
  );
}

/** How many running bookings a lot is sent back at most after a restore (a lot's slots bound it far below). */
const MAX_RUNNING = 10_000;

/**
 * The lot's bookings central holds, booked or cancelled, whose hold (grace included) has not
 * ended at `nowMs`: what a lot restored from an older backup asks for, to put back the ones it
 * lost and bring older copies up to date (electron/core/bookings/bring-back.ts). Each as its
 * row's snapshot, the lot's own format.
 */
export async function runningSnapshots(db: Executor, lotId: string, nowMs: number): Promise<unknown[]> {
  const rows = await db
    .select({ snapshot: bookings.snapshot })
    .from(bookings)
    .where(
      and(
        eq(bookings.lotId, lotId),
        sql`${bookings.status} IN ('booked', 'cancelled')`,
        eq(bookings.inConflict, false),
        sql`coalesce((${bookings.snapshot}->>'graceUntilMs')::bigint, ${bookings.endMs}) > ${nowMs}`,
      ),
    )
    .orderBy(bookings.bookingId)
    .limit(MAX_RUNNING);
  return rows.map((row) => row.snapshot);
}
