import { activeSql, heldUntilSql } from '../bookings/completion';
import { holdTokenHash } from '../holds/service';
import { heldSql, holdStartSql } from '../bookings/holds';
import { NEW_STAY_SQL } from '../pricing/lot-rule';
import { defaultMinutes } from '../pricing/stay';
import { currentTariff } from '../pricing/versions';
import { priceStay } from '../tariffs/price';
import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import { leasedSlotIds } from '../leases/rules';

export type VehicleType = 'car' | 'bike' | 'suv' | 'ev' | 'truck';

export interface SlotView {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  /** What one booking of the default length, starting now, costs on this slot (its quote). */
  bookingPrice: number;
  enabled: boolean;
  /** Free for an Instant booking starting now (derived from bookings, never stored). */
  available: boolean;
  /** Someone's booking covers this instant. */
  occupied: boolean;
  /** When taken: the end of the hold (booking end + grace) that blocks an Instant booking now. */
  freesAt: string | null;
  /**
   * Held until then, so nobody else can book it: a finished booking's grace (kept for that
   * driver), or "being booked": another driver at a kiosk chose it (issue 13). Never set for
   * the caller's own slot hold (the holdToken it passed).
   */
  heldUntil: string | null;
  /** The next Advance booking that starts later, if any. */
  nextBookingAt: string | null;
}

interface SlotAvailabilityRow {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: number;
  bookingMinutes: number;
  currency: string;
  timeZone: string;
  occupiedUntil: number | null;
  blockingUntil: number | null;
  /** The end of a finished booking's grace hold. */
  heldUntil: number | null;
  nextStart: number | null;
  /** The end of another driver's slot hold (slot_holds). */
  slotHeldUntil: number | null;
}

// Availability is a query over bookings: a slot is taken now if a booked booking covers
// [now, now + duration). The partial index on (slot_id, start_ms) WHERE status='booked'
// keeps each probe to the handful of active rows.
// Availability is a query over bookings: a slot is taken now if some hold (a booking from its
// start to its end + grace, bookings/holds.ts) meets the hold an Instant booking of the lot's
// default length would have now. The partial index on holds keeps each probe small.
const AVAILABILITY_SQL = `
  WITH rule AS MATERIALIZED (${NEW_STAY_SQL})
  SELECT s.id, s.lot_id AS lotId, s.label, s.vehicle_type AS vehicleType, s.hourly_price AS hourlyPrice,
         s.enabled, l.booking_minutes AS bookingMinutes, l.currency, l.time_zone AS timeZone,
         (SELECT max(b.end_ms) FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')}
             AND b.start_ms <= @now) AS occupiedUntil,
         (SELECT max(b.grace_until_ms) FROM bookings b WHERE b.slot_id = s.id AND ${heldSql('b')}
             AND ${holdStartSql('b')} < @now + (rule.minutes + rule.grace) * 60000) AS blockingUntil,
         (SELECT max(b.grace_until_ms) FROM bookings b WHERE b.slot_id = s.id AND ${heldSql('b')}
             AND b.start_ms <= @now AND b.end_ms <= @now
             AND NOT EXISTS (SELECT 1 FROM bookings r WHERE r.renewed_from_id = b.id)) AS heldUntil,
         (SELECT min(b.start_ms) FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')}
             AND b.start_ms > @now) AS nextStart,
         ${heldUntilSql('s.id')} AS slotHeldUntil
    FROM slots s JOIN lots l ON l.id = s.lot_id JOIN rule ON rule.lotId = s.lot_id`;

/** `holdToken`: the caller's own hold, which it sees as its choice rather than "being booked". */
export function listSlots(core: KioskCore, lotId?: number, holdToken?: string): SlotView[] {
  return runRead(core, (tx) => {
    const sql = `${AVAILABILITY_SQL} ${lotId === undefined ? '' : 'WHERE s.lot_id = @lotId'} ORDER BY s.lot_id, s.position, s.id`;
    const params = { now: tx.now, holdTokenHash: holdToken === undefined ? null : holdTokenHash(holdToken), ...(lotId === undefined ? {} : { lotId }) };
    const rows = statement(core, sql).all(params) as SlotAvailabilityRow[];
    if (lotId !== undefined && rows.length === 0 && !lotExists(core, lotId)) {
      throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    }
    const leased = leasedSlotIds(core, tx.now);
    return rows.map((row) => ({
      id: row.id,
      lotId: row.lotId,
      label: row.label,
      vehicleType: row.vehicleType,
      hourlyPrice: row.hourlyPrice,
      bookingPrice: bookingPriceNow(core, row, tx.now),
      enabled: row.enabled === 1,
      // A slot leased to a satellite kiosk (issue 14) is not available here until its lease lets it go.
      available: row.enabled === 1 && row.blockingUntil === null && row.slotHeldUntil === null && !leased.has(row.id),
      occupied: row.occupiedUntil !== null,
      freesAt: row.blockingUntil === null ? null : new Date(row.blockingUntil).toISOString(),
      heldUntil: heldUntil(row),
      nextBookingAt: row.nextStart === null ? null : new Date(row.nextStart).toISOString(),
    }));
  });
}

const heldUntil = (row: SlotAvailabilityRow): string | null => {
  const graceEnd = row.heldUntil === null || row.occupiedUntil !== null ? null : row.heldUntil;
  const end = graceEnd ?? row.slotHeldUntil;
  return end === null ? null : new Date(end).toISOString();
};

/** The flat rule while the lot has no saved tariff; else priceStay of the tariff's default stay from now. */
function bookingPriceNow(core: KioskCore, row: SlotAvailabilityRow, now: number): number {
  const inForce = currentTariff(core, row);
  if (inForce.versionId === null) return Math.round((row.hourlyPrice * row.bookingMinutes) / 60);
  const minutes = defaultMinutes(inForce.tariff, row.bookingMinutes);
  return priceStay(inForce.tariff, { vehicleType: row.vehicleType, startMs: now, endMs: now + minutes * 60_000, timeZone: row.timeZone }).amount;
}

const lotExists = (core: KioskCore, lotId: number) =>
  statement(core, 'SELECT 1 FROM lots WHERE id = ?').get(lotId) !== undefined;
