import { listBookings, type ListBookingsInput } from '../bookings/service';
import type { KioskCore } from '../kiosk-core';
import { fail } from '../shared/errors';
import { minorToDecimal, toCsv } from '../export/csv';

export const EXPORT_MAX_ROWS = 100_000;
const PAGE = 1_000;

const HEADER = [
  'reference',
  'status',
  'lot_id',
  'slot',
  'vehicle_number',
  'vehicle_type',
  'booking_type',
  'start_utc',
  'end_utc',
  'price',
  'add_ons',
  'total',
  'currency',
  'renewed_from_id',
  'renewed_to_id',
  'created_utc',
  'cancelled_utc',
  'cancelled_by',
  'cancel_reason',
] as const;

export interface BookingsCsv {
  filename: string;
  rows: number;
  csv: string;
}

/** Every booking matching the console's filters as CSV text (money in major units). */
export function exportBookingsCsv(core: KioskCore, filter: Omit<ListBookingsInput, 'cursor' | 'limit'>): BookingsCsv {
  const rows: unknown[][] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = listBookings(core, { ...filter, cursor, limit: PAGE });
    for (const b of page.items) {
      rows.push([
        b.reference,
        b.status,
        b.lotId,
        b.slotLabel,
        b.vehicleNumber,
        b.vehicleType,
        b.bookingType,
        b.startTime,
        b.endTime,
        minorToDecimal(b.price),
        minorToDecimal(b.totalPrice - b.price),
        minorToDecimal(b.totalPrice),
        b.currency,
        b.renewedFromId,
        b.renewedToId,
        b.createdAt,
        b.cancelledAt,
        b.cancelledBy,
        b.cancelReason,
      ]);
    }
    if (rows.length > EXPORT_MAX_ROWS) fail('BAD_REQUEST', `That is more than ${EXPORT_MAX_ROWS} bookings. Choose a shorter period.`);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  const stamp = new Date(core.clock.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { filename: `bookings-${stamp}.csv`, rows: rows.length, csv: toCsv(HEADER, rows) };
}
