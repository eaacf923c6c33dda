import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
import { DomainError } from '../shared/errors';
import { iso } from './mapping';
import { toBookingView, type BookingView } from './view';

export type HistoryKind = 'created' | 'starts' | 'car_wash' | 'renewed_from' | 'renewed_to' | 'cancelled' | 'completed' | 'plate_corrected';

export interface HistoryEvent {
  at: string;
  kind: HistoryKind;
  /** Who did it, when someone did (a staff name, "driver"). */
  by: string | null;
  text: string;
  /** The other booking of a renewal, so the console can open it. */
  relatedBookingId: number | null;
}

export interface BookingHistory {
  booking: BookingView;
  events: HistoryEvent[];
}

const describeActor = (by: string | null) =>
  by === null ? null : by.startsWith('staff:') ? `staff ${by.slice('staff:'.length)}` : by === 'driver' ? 'the driver' : by;

/** What happened to a booking, oldest first, derived from the booking itself and its renewal chain. */
export function bookingHistory(core: KioskCore, id: number): BookingHistory {
  return runRead(core, (tx) => {
    const row = core.bookings.byId(id);
    if (!row) throw new DomainError('NOT_FOUND', `There is no booking number ${id}.`);
    const booking = toBookingView(row, tx.now);
    const ref = (otherId: number | null) => (otherId === null ? undefined : core.bookings.brief(otherId)?.reference);
    const events: HistoryEvent[] = [];
    const corrections = core.bookings.plateCorrectionsOf(id);
    // The plate it was booked with: the first correction's "from", or the plate it has now.
    const bookedPlate = corrections[0]?.fromPlate ?? row.vehicleNumber;
    const renewedFrom = ref(row.renewedFromId);
    events.push({
      at: iso(row.createdAt),
      kind: 'created',
      by: null,
      text:
        row.renewedFromId !== null
          ? `Booked as a renewal of ${renewedFrom ?? `#${row.renewedFromId}`} for slot ${row.slotLabel}`
          : `Booked (${row.bookingType}) for slot ${row.slotLabel}, ${bookedPlate}`,
      relatedBookingId: null,
    });
    if (row.renewedFromId !== null) {
      events.push({
        at: iso(row.createdAt),
        kind: 'renewed_from',
        by: null,
        text: `Renewed from ${renewedFrom ?? `#${row.renewedFromId}`}`,
        relatedBookingId: row.renewedFromId,
      });
    }
    if (row.startMs > row.createdAt) {
      events.push({ at: iso(row.startMs), kind: 'starts', by: null, text: 'Advance booking starts', relatedBookingId: null });
    }
    for (const addOn of booking.addOns) {
      events.push({ at: addOn.addedAt, kind: 'car_wash', by: null, text: 'Car wash added', relatedBookingId: null });
    }
    for (const correction of corrections) {
      const by = describeActor(correction.by);
      events.push({
        at: iso(correction.at),
        kind: 'plate_corrected',
        by,
        text: `Plate corrected from ${correction.fromPlate} to ${correction.toPlate}${by ? ` by ${by}` : ''}${correction.reason ? `: ${correction.reason}` : ''}`,
        relatedBookingId: null,
      });
    }
    if (row.status === 'cancelled' && row.cancelledAt !== null) {
      const by = describeActor(row.cancelledBy);
      events.push({
        at: iso(row.cancelledAt),
        kind: 'cancelled',
        by,
        text: `Cancelled${by ? ` by ${by}` : ''}${row.cancelReason ? `: ${row.cancelReason}` : ''}`,
        relatedBookingId: null,
      });
    }
    if (booking.status === 'completed') {
      events.push({ at: iso(row.endMs), kind: 'completed', by: null, text: 'Completed: the booked time ended', relatedBookingId: null });
    }
    if (row.renewedToId !== null) {
      const renewal = core.bookings.brief(row.renewedToId);
      events.push({
        at: iso(renewal?.createdAt ?? row.endMs),
        kind: 'renewed_to',
        by: null,
        text: `Renewed as ${renewal?.reference ?? `#${row.renewedToId}`}`,
        relatedBookingId: row.renewedToId,
      });
    }
    events.sort((a, b) => a.at.localeCompare(b.at));
    return { booking, events };
  });
}
