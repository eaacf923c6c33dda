import { activeSql, heldUntilSql } from '../bookings/completion';
import { holdTokenHash } from '../holds/service';
import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';

export type VehicleType = 'car' | 'bike' | 'suv' | 'ev' | 'truck';

export interface SlotView {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  /** What one booking of the lot's duration costs on this slot. */
  bookingPrice: number;
  enabled: boolean;
  /** Free for an Instant booking starting now (derived from bookings, never stored). */
  available: boolean;
  /** Someone's booking covers this instant. */
  occupied: boolean;
  /** When taken: the end of the booking that blocks an Instant booking now. */
  freesAt: string | null;
  /** The next Advance booking that starts later, if any. */
  nextBookingAt: string | null;
  /**
   * "Being booked": another driver holds the slot until then (issue 13), so it is not
   * available. Never set for the caller's own hold (the holdToken it passed).
   */
  heldUntil: string | null;
}

interface SlotAvailabilityRow {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: number;
  bookingMinutes: number;
  occupiedUntil: number | null;
  blockingUntil: number | null;
  nextStart: number | null;
  heldUntil: number | null;
}

// Availability is a query over bookings: a slot is taken now if a booked booking covers
// [now, now + duration). The partial index on (slot_id, start_ms) WHERE status='booked'
// keeps each probe to the handful of active rows.
const AVAILABILITY_SQL = `
  SELECT s.id, s.lot_id AS lotId, s.label, s.vehicle_type AS vehicleType, s.hourly_price AS hourlyPrice,
         s.enabled, l.booking_minutes AS bookingMinutes,
         (SELECT max(b.end_ms) FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')}
             AND b.start_ms <= @now) AS occupiedUntil,
         (SELECT max(b.end_ms) FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')}
             AND b.start_ms < @now + l.booking_minutes * 60000) AS blockingUntil,
         -- Starts later, so it cannot be due (end > start): the index alone answers this one.
         (SELECT min(b.start_ms) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'booked'
             AND b.start_ms > @now) AS nextStart,
         ${heldUntilSql('s.id')} AS heldUntil
    FROM slots s JOIN lots l ON l.id = s.lot_id`;

/** `holdToken`: the caller's own hold, which it sees as its choice rather than "being booked". */
export function listSlots(core: KioskCore, lotId?: number, holdToken?: string): SlotView[] {
  return runRead(core, (tx) => {
    const sql = `${AVAILABILITY_SQL} ${lotId === undefined ? '' : 'WHERE s.lot_id = @lotId'} ORDER BY s.lot_id, s.position, s.id`;
    const params = { now: tx.now, holdTokenHash: holdToken === undefined ? null : holdTokenHash(holdToken), ...(lotId === undefined ? {} : { lotId }) };
    const rows = statement(core, sql).all(params) as SlotAvailabilityRow[];
    if (lotId !== undefined && rows.length === 0 && !lotExists(core, lotId)) {
      throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    }
    return rows.map((row) => ({
      id: row.id,
      lotId: row.lotId,
      label: row.label,
      vehicleType: row.vehicleType,
      hourlyPrice: row.hourlyPrice,
      bookingPrice: Math.round((row.hourlyPrice * row.bookingMinutes) / 60),
      enabled: row.enabled === 1,
      available: row.enabled === 1 && row.blockingUntil === null && row.heldUntil === null,
      occupied: row.occupiedUntil !== null,
      freesAt: row.blockingUntil === null ? null : new Date(row.blockingUntil).toISOString(),
      nextBookingAt: row.nextStart === null ? null : new Date(row.nextStart).toISOString(),
      heldUntil: row.heldUntil === null ? null : new Date(row.heldUntil).toISOString(),
    }));
  });
}

const lotExists = (core: KioskCore, lotId: number) =>
  statement(core, 'SELECT 1 FROM lots WHERE id = ?').get(lotId) !== undefined;
