/**
 * The receipt a booking (as the API shows it) gets. Pure: reads a BookingView, touches no
 * store. The integrator calls it right after createBooking / renewBooking / addCarWash with
 * the lot's name, the kiosk's id and the instant of issue (the transaction's `now`).
 */
import type { BookingView } from '../bookings/view';
import type { PriceItem, ReceiptKind, ReceiptPayload } from './payload';

export interface ReceiptContext {
  lotName: string;
  kioskId: string;
  issuedAtMs: number;
  /** 'booking' or 'renewal' follow from the booking itself; 'extension' must be asked for. */
  kind?: ReceiptKind;
  tariffVersion?: string;
}

export function receiptForBooking(booking: BookingView, context: ReceiptContext): ReceiptPayload {
  const items: PriceItem[] = [{ kind: 'parking', amount: booking.price }, ...booking.addOns.map((a): PriceItem => ({ kind: a.kind, amount: a.price }))];
  return {
    kind: context.kind ?? (booking.renewedFromId === null ? 'booking' : 'renewal'),
    reference: booking.reference,
    lotId: booking.lotId,
    lotName: context.lotName,
    slotLabel: booking.slotLabel,
    plate: booking.vehicleNumber,
    startMs: Date.parse(booking.startTime),
    endMs: Date.parse(booking.endTime),
    items,
    currency: booking.currency,
    ...(context.tariffVersion === undefined ? {} : { tariffVersion: context.tariffVersion }),
    kioskId: context.kioskId,
    issuedAtMs: context.issuedAtMs,
  };
}
