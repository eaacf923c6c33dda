import { fromSqlBoolean, isoOrNull } from '../bookings/mapping';
import { flatPrice, isFreeForInstant } from '../bookings/rules';
import { holdTokenHash } from '../holds/service';
import { defaultMinutes } from '../pricing/stay';
import { currentTariff } from '../pricing/versions';
import { priceStay } from '../tariffs/price';
import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
import { DomainError } from '../shared/errors';

import type { VehicleType } from '../../../shared/vocabulary';
import type { SlotAvailabilityRow } from './store';

export type { VehicleType } from '../../../shared/vocabulary';

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

/** `holdToken`: the caller's own hold, which it sees as its choice rather than "being booked". */
export function listSlots(core: KioskCore, lotId?: number, holdToken?: string): SlotView[] {
  return runRead(core, (tx) => {
    const rows = core.slots.availability(tx.now, holdToken === undefined ? null : holdTokenHash(holdToken), lotId);
    if (lotId !== undefined && rows.length === 0 && !core.lots.exists(lotId)) {
      throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    }
    return rows.map((row) => {
      const enabled = fromSqlBoolean(row.enabled);
      return {
        id: row.id,
        lotId: row.lotId,
        label: row.label,
        vehicleType: row.vehicleType,
        hourlyPrice: row.hourlyPrice,
        bookingPrice: bookingPriceNow(core, row, tx.now),
        enabled,
        // A slot leased to a satellite kiosk (issue 14) is not available here until its lease lets it go.
        available: isFreeForInstant({ enabled, blockingUntil: row.blockingUntil, slotHeldUntil: row.slotHeldUntil, leased: fromSqlBoolean(row.leased) }),
        occupied: row.occupiedUntil !== null,
        freesAt: isoOrNull(row.blockingUntil),
        heldUntil: heldUntil(row),
        nextBookingAt: isoOrNull(row.nextStart),
      };
    });
  });
}

const heldUntil = (row: SlotAvailabilityRow): string | null => {
  const graceEnd = row.heldUntil === null || row.occupiedUntil !== null ? null : row.heldUntil;
  return isoOrNull(graceEnd ?? row.slotHeldUntil);
};

/** The flat rule while the lot has no saved tariff; else priceStay of the tariff's default stay from now. */
function bookingPriceNow(core: KioskCore, row: SlotAvailabilityRow, now: number): number {
  const inForce = currentTariff(core, row);
  if (inForce.versionId === null) return flatPrice(row.hourlyPrice, row.bookingMinutes);
  const minutes = defaultMinutes(inForce.tariff, row.bookingMinutes);
  return priceStay(inForce.tariff, { vehicleType: row.vehicleType, startMs: now, endMs: now + minutes * 60_000, timeZone: row.timeZone }).amount;
}
