import { getBooking } from '../core/bookings/service';
import { bookingViewAt, type BookingView } from '../core/bookings/view';
import type { KioskCore } from '../core/kiosk-core';
import type { ChangeEvent } from '../core/shared/events';
import { holdTokenHash } from '../core/holds/service';
import { listSlots } from '../core/slots/service';
import { inLot, type LiveSource } from './live';

type SlotView = ReturnType<typeof listSlots>[number];

/** One booking's view, as booking.watch streams it; the heartbeat moves its countdown. */
export const bookingSource = (core: KioskCore, id: number, heartbeatMs: number): LiveSource<BookingView> => ({
  key: `booking:${id}`,
  matches: (event: ChangeEvent) => event.kind === 'booking' && event.bookingId === id,
  read: () => getBooking(core, id),
  refresh: bookingViewAt,
  heartbeatMs,
});

/** A lot's slot list (or every lot's), as slot.watch streams it; a holder's own feed shows its hold as its choice. */
export const slotsSource = (core: KioskCore, lotId: number | undefined, heartbeatMs: number, holdToken?: string): LiveSource<SlotView[]> => ({
  key: `slots:${lotId ?? '*'}${holdToken === undefined ? '' : `:${holdTokenHash(holdToken)}`}`,
  matches: inLot(lotId),
  read: () => listSlots(core, lotId, holdToken),
  // Availability is derived from time: once a shown booking starts or ends, read again.
  refresh: (slots, now) => (now >= nextBoundary(slots) ? null : slots),
  heartbeatMs,
});

function nextBoundary(slots: SlotView[]): number {
  let next = Infinity;
  for (const slot of slots) {
    if (slot.freesAt) next = Math.min(next, Date.parse(slot.freesAt));
    if (slot.heldUntil) next = Math.min(next, Date.parse(slot.heldUntil));
    if (slot.nextBookingAt) next = Math.min(next, Date.parse(slot.nextBookingAt));
    // A hold that runs out frees its slot with no write to announce it.
    if (slot.heldUntil) next = Math.min(next, Date.parse(slot.heldUntil));
  }
  return next;
}
