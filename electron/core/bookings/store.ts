import type { TokenBooking } from '../auth/booking-tokens';
import type Database from 'better-sqlite3';
import type { BookingStatus } from '../../../shared/vocabulary';
import { dueSql, statusIsSql } from './completion';
import { clashSql } from './holds';

/** A booking row as read for display: the booking joined with its slot, lot and add-ons. */
export interface BookingRow {
  id: number;
  reference: string;
  lotId: number;
  slotId: number;
  slotLabel: string;
  vehicleNumber: string;
  vehicleType: string;
  bookingType: 'instant' | 'advance';
  status: BookingStatus;
  startMs: number;
  endMs: number;
  price: number;
  renewedFromId: number | null;
  renewedToId: number | null;
  createdAt: number;
  cancelledAt: number | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  addOns: string;
  currency: string;
  timeZone: string;
  tariffVersionId: number | null;
  /** The version number of tariffVersionId (null: the slot's flat rate). */
  tariffVersion: number | null;
  /** JSON PriceLine[] as sold; null for bookings made before tariffs. */
  priceBreakdown: string | null;
  chainStartMs: number;
  graceUntilMs: number;
  /** The maximum stay of the booking's own tariff version (null: none). */
  maxStayMinutes: number | null;
  /** The lot's window for the driver's one plate correction, and how many corrections the booking had. */
  plateCorrectionMinutes: number;
  plateCorrections: number;
}

export interface NewBooking {
  reference: string;
  lotId: number;
  slotId: number;
  vehicleNumber: string;
  vehicleType: string;
  bookingType: 'instant' | 'advance';
  startMs: number;
  endMs: number;
  price: number;
  renewedFromId: number | null;
  /** Left out (tools, bulk seeding): flat rate, no breakdown, own chain, held until its end (trigger bookings_fill_hold). */
  tariffVersionId?: number | null;
  priceBreakdown?: string | null;
  chainStartMs?: number | null;
  graceUntilMs?: number | null;
  createdAt: number;
}

export interface SlotForBooking {
  id: number;
  lotId: number;
  label: string;
  vehicleType: string;
  hourlyPrice: number;
  enabled: number;
  bookingMinutes: number;
  carWashPrice: number;
  currency: string;
  timeZone: string;
}

export interface ListFilter {
  status?: BookingStatus;
  lotId?: number;
  slotId?: number;
  vehicleNumber?: string;
  reference?: string;
  /** Upper-case letters and digits: matches a reference prefix or any part of a plate. */
  searchText?: string;
  fromMs?: number;
  toMs?: number;
  cursor?: number;
  limit: number;
  order: 'newest' | 'oldest';
}

const SELECT_VIEW = `
  SELECT b.id, b.reference, b.lot_id AS lotId, b.slot_id AS slotId, s.label AS slotLabel,
         b.vehicle_number AS vehicleNumber, b.vehicle_type AS vehicleType,
         b.booking_type AS bookingType, b.status, b.start_ms AS startMs, b.end_ms AS endMs,
         b.price, b.renewed_from_id AS renewedFromId,
         (SELECT r.id FROM bookings r WHERE r.renewed_from_id = b.id) AS renewedToId,
         b.created_at AS createdAt, b.cancelled_at AS cancelledAt, b.cancelled_by AS cancelledBy,
         b.cancel_reason AS cancelReason,
         (SELECT json_group_array(json_object('kind', a.kind, 'price', a.price, 'addedAt', a.created_at))
            FROM booking_add_ons a WHERE a.booking_id = b.id) AS addOns,
         l.currency, l.time_zone AS timeZone,
         b.tariff_version_id AS tariffVersionId, tv.version AS tariffVersion, b.price_breakdown AS priceBreakdown,
         coalesce(b.chain_start_ms, b.start_ms) AS chainStartMs, coalesce(b.grace_until_ms, b.end_ms) AS graceUntilMs,
         json_extract(tv.document, '$.maxStayMinutes') AS maxStayMinutes,
         l.plate_correction_minutes AS plateCorrectionMinutes,
         (SELECT count(*) FROM plate_corrections c WHERE c.booking_id = b.id) AS plateCorrections
    FROM bookings b
    JOIN slots s ON s.id = b.slot_id
    JOIN lots l ON l.id = b.lot_id
    LEFT JOIN tariff_versions tv ON tv.id = b.tariff_version_id`;

/**
 * Every SQL statement the booking rules use, prepared once per connection. The literal
 * `status = 'booked'` (not a parameter) lets SQLite pick the partial indexes.
 */
export function createBookingStore(sqlite: Database.Database) {
  // INDEXED BY pins the partial index on active end times: left to itself the planner
  // prefers (status, id), which walks every active row (all future Advance bookings) on
  // every request instead of just the few that are due.
  // The write side of the completion rule (completion.ts): store what reads already derive.
  const expireDue = sqlite.prepare<[{ now: number }], { id: number; lotId: number; slotId: number }>(
    `UPDATE bookings INDEXED BY bookings_active_end SET status = 'completed'
      WHERE ${dueSql('bookings')}
      RETURNING id, lot_id AS lotId, slot_id AS slotId`,
  );
  const nextDue = sqlite.prepare<[], { due: number | null }>(
    `SELECT min(end_ms) AS due FROM bookings INDEXED BY bookings_active_end WHERE status = 'booked'`,
  );
  const byId = sqlite.prepare<[number], BookingRow>(`${SELECT_VIEW} WHERE b.id = ?`);
  const byReference = sqlite.prepare<[string], BookingRow>(`${SELECT_VIEW} WHERE b.reference = ?`);
  const slotForBooking = sqlite.prepare<[number], SlotForBooking>(
    `SELECT s.id, s.lot_id AS lotId, s.label, s.vehicle_type AS vehicleType, s.hourly_price AS hourlyPrice,
            s.enabled, l.booking_minutes AS bookingMinutes, l.car_wash_price AS carWashPrice,
            l.currency, l.time_zone AS timeZone
       FROM slots s JOIN lots l ON l.id = s.lot_id WHERE s.id = ?`,
  );
  // The overlap rule of the trigger (holds.ts), so the core refuses with a typed reason first.
  const slotOverlap = sqlite.prepare<{ slotId: number; startMs: number; holdEndMs: number; selfId: number; renewedFromId: number | null }, { id: number; startMs: number; endMs: number }>(
    `SELECT id, start_ms AS startMs, end_ms AS endMs FROM bookings b
      WHERE ${clashSql('b')}
      ORDER BY start_ms LIMIT 1`,
  );
  const nextHoldStart = sqlite.prepare<{ slotId: number; fromMs: number; selfId: number }, { startMs: number | null }>(
    `SELECT min(start_ms) AS startMs FROM bookings INDEXED BY bookings_held_slot
      WHERE slot_id = @slotId AND status <> 'cancelled' AND status = 'booked' AND grace_until_ms > @fromMs AND start_ms >= @fromMs AND id <> @selfId`,
  );
  const vehicleOverlap = sqlite.prepare<[string, number, number], { reference: string }>(
    `SELECT reference FROM bookings INDEXED BY bookings_active_vehicle
      WHERE vehicle_number = ? AND status = 'booked' AND start_ms < ? AND end_ms > ? LIMIT 1`,
  );
  const referenceTaken = sqlite.prepare<[string], { id: number }>(`SELECT id FROM bookings WHERE reference = ?`);
  const forToken = sqlite.prepare<[number], TokenBooking>(
    `SELECT id, reference, created_at AS createdAt, status, end_ms AS endMs, cancelled_at AS cancelledAt FROM bookings WHERE id = ?`,
  );
  const insert = sqlite.prepare<Required<NewBooking>>(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type,
                           status, start_ms, end_ms, price, renewed_from_id, tariff_version_id,
                           price_breakdown, chain_start_ms, grace_until_ms, created_at)
     VALUES (@reference, @lotId, @slotId, @vehicleNumber, @vehicleType, @bookingType,
             'booked', @startMs, @endMs, @price, @renewedFromId, @tariffVersionId,
             @priceBreakdown, @chainStartMs, @graceUntilMs, @createdAt)`,
  );
  const extend = sqlite.prepare<{ id: number; endMs: number; graceUntilMs: number; price: number; priceBreakdown: string }>(
    `UPDATE bookings SET end_ms = @endMs, grace_until_ms = @graceUntilMs, price = @price, price_breakdown = @priceBreakdown
      WHERE id = @id AND status = 'booked'`,
  );
  const cancel = sqlite.prepare<{ id: number; at: number; by: string; reason: string | null }>(
    `UPDATE bookings SET status = 'cancelled', cancelled_at = @at, cancelled_by = @by, cancel_reason = @reason
      WHERE id = @id AND status = 'booked'`,
  );
  const addAddOn = sqlite.prepare<{ bookingId: number; kind: string; price: number; at: number }>(
    `INSERT INTO booking_add_ons (booking_id, kind, price, created_at) VALUES (@bookingId, @kind, @price, @at)`,
  );
  const listCache = new Map<string, Database.Statement>();

  return {
    expireDue: (now: number) => expireDue.all({ now }),
    nextDue: () => nextDue.get()?.due ?? null,
    byId: (id: number) => byId.get(id),
    byReference: (reference: string) => byReference.get(reference),
    /** The facts a booking token is checked against. */
    forToken: (id: number) => forToken.get(id),
    slotForBooking: (slotId: number) => slotForBooking.get(slotId),
    /** The first booking whose hold meets [startMs, holdEndMs) on the slot (not selfId, not the renewed one). */
    slotOverlap: (args: { slotId: number; startMs: number; holdEndMs: number; selfId?: number; renewedFromId?: number | null }) =>
      slotOverlap.get({ selfId: 0, renewedFromId: null, ...args }),
    /** The start of the slot's first hold beginning at or after fromMs (the next booking), or null. */
    nextHoldStart: (slotId: number, fromMs: number, selfId = 0) => nextHoldStart.get({ slotId, fromMs, selfId })?.startMs ?? null,
    extend: (args: { id: number; endMs: number; graceUntilMs: number; price: number; priceBreakdown: string }) => extend.run(args).changes === 1,
    vehicleOverlap: (vehicle: string, startMs: number, endMs: number) => vehicleOverlap.get(vehicle, endMs, startMs),
    referenceTaken: (reference: string) => referenceTaken.get(reference) !== undefined,
    insert: (row: NewBooking) =>
      Number(insert.run({ tariffVersionId: null, priceBreakdown: null, chainStartMs: null, graceUntilMs: null, ...row }).lastInsertRowid),
    cancel: (args: { id: number; at: number; by: string; reason: string | null }) => cancel.run(args).changes === 1,
    addAddOn: (args: { bookingId: number; kind: string; price: number; at: number }) => addAddOn.run(args),
    /** `now` decides which bookings count as completed for a status filter (completion.ts). */
    list(filter: ListFilter, now: number): BookingRow[] {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: filter.limit };
      const add = (clause: string, key: string, value: unknown) => {
        if (value === undefined) return;
        where.push(clause);
        params[key] = value;
      };
      if (filter.status !== undefined) {
        where.push(statusIsSql('b', filter.status));
        params.now = now;
      }
      add('b.lot_id = @lotId', 'lotId', filter.lotId);
      add('b.slot_id = @slotId', 'slotId', filter.slotId);
      add('b.vehicle_number = @vehicleNumber', 'vehicleNumber', filter.vehicleNumber);
      add('b.reference = @reference', 'reference', filter.reference);
      if (filter.searchText !== undefined) {
        where.push(`(b.reference LIKE @searchPrefix OR replace(b.vehicle_number, '-', '') LIKE @searchAnywhere)`);
        params.searchPrefix = `${filter.searchText}%`;
        params.searchAnywhere = `%${filter.searchText}%`;
      }
      add('b.start_ms >= @fromMs', 'fromMs', filter.fromMs);
      add('b.start_ms < @toMs', 'toMs', filter.toMs);
      add(filter.order === 'newest' ? 'b.id < @cursor' : 'b.id > @cursor', 'cursor', filter.cursor);
      const sql = `${SELECT_VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY b.id ${filter.order === 'newest' ? 'DESC' : 'ASC'} LIMIT @limit`;
      let statement = listCache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        listCache.set(sql, statement);
      }
      return statement.all(params) as BookingRow[];
    },
  };
}

export type BookingStore = ReturnType<typeof createBookingStore>;
