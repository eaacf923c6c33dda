import type { BreakdownItem } from '../pricing/stay';
import type { AddOnKind, BookingStatus, BookingType } from '../../../shared/vocabulary';
import { statusAt } from './completion';
import { iso, isoOrNull } from './mapping';
import { graceEndsAt } from './rules';
import type { BookingRecord } from './store';

export interface AddOn {
  kind: AddOnKind;
  price: number;
  addedAt: string;
}

/** The public shape of a booking: the tRPC contract's Booking. */
export interface BookingView {
  id: number;
  reference: string;
  lotId: number;
  slotId: number;
  slotLabel: string;
  vehicleNumber: string;
  vehicleType: string;
  bookingType: BookingType;
  status: BookingStatus;
  startTime: string;
  endTime: string;
  remainingSeconds: number;
  isExpired: boolean;
  price: number;
  addOns: AddOn[];
  totalPrice: number;
  currency: string;
  renewedFromId: number | null;
  renewedToId: number | null;
  createdAt: string;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  /** The lot's tariff version the booking was sold under; null: the slot's flat rate. */
  tariffVersion: number | null;
  /** The price lines as sold (empty for bookings made before tariffs). */
  breakdown: BreakdownItem[];
  /** end + grace while the grace hold applies (the slot is held for this driver until then). */
  graceEndsAt: string | null;
  /** The latest end extend and renew can reach (the chain's first start + the maximum stay); null: no limit. */
  maxStayEndsAt: string | null;
  /**
   * Until when the driver may still correct the plate (once, plate-correction.ts); null when
   * they cannot (window over, already corrected, booking not running). Staff always can.
   */
  plateCorrectableUntil: string | null;
  serverTime: string;
}

export function toBookingView(row: BookingRecord, now: number): BookingView {
  const addOns = row.addOns.map((a) => ({
    kind: a.kind,
    price: a.price,
    addedAt: iso(a.addedAt),
  }));
  // What lazy expiry would store now (completion.ts), so a read never has to write it.
  const status = statusAt(row.status, row.endMs, now);
  const running = status === 'booked';
  return {
    id: row.id,
    reference: row.reference,
    lotId: row.lotId,
    slotId: row.slotId,
    slotLabel: row.slotLabel,
    vehicleNumber: row.vehicleNumber,
    vehicleType: row.vehicleType,
    bookingType: row.bookingType,
    status,
    startTime: iso(row.startMs),
    endTime: iso(row.endMs),
    remainingSeconds: running ? Math.max(0, Math.ceil((row.endMs - now) / 1000)) : 0,
    isExpired: status === 'completed',
    price: row.price,
    addOns,
    totalPrice: row.price + addOns.reduce((sum, a) => sum + a.price, 0),
    currency: row.currency,
    renewedFromId: row.renewedFromId,
    renewedToId: row.renewedToId,
    createdAt: iso(row.createdAt),
    cancelledAt: row.cancelledAt === null ? null : iso(row.cancelledAt),
    cancelledBy: row.cancelledBy,
    cancelReason: row.cancelReason,
    tariffVersion: row.tariffVersion,
    breakdown: (row.priceBreakdown ?? []).map((line) => ({
      from: iso(line.fromMs),
      to: iso(line.toMs),
      description: line.description,
      amount: line.amount,
      kind: line.kind,
    })),
    graceEndsAt: isoOrNull(graceEndsAt(status, row.endMs, row.graceUntilMs, row.renewedToId, now)),
    maxStayEndsAt: row.maxStayMinutes === null ? null : iso(row.chainStartMs + row.maxStayMinutes * 60_000),
    plateCorrectableUntil: running && row.plateCorrections === 0 && now < correctionEnd(row) ? iso(correctionEnd(row)) : null,
    serverTime: iso(now),
  };
}

/** The end of the driver's correction window: the lot's minutes after the booking was made. */
export const correctionEnd = (row: Pick<BookingRecord, 'createdAt' | 'plateCorrectionMinutes'>): number => row.createdAt + row.plateCorrectionMinutes * 60_000;

const stillCorrectable = (until: string | null, now: number) => (until !== null && now < Date.parse(until) ? until : null);

/**
 * The same view at a later instant, without the database: the countdown and server time move
 * on. Null once a running booking's end has passed, because then its row changes (expiry) and
 * must be read again.
 */
export function bookingViewAt(view: BookingView, now: number): BookingView | null {
  if (view.status !== 'booked') {
    // The grace hold ends with no write: the view drops it at its end.
    const graceOver = view.graceEndsAt !== null && now >= Date.parse(view.graceEndsAt);
    return { ...view, graceEndsAt: graceOver ? null : view.graceEndsAt, serverTime: iso(now) };
  }
  const endMs = Date.parse(view.endTime);
  if (now >= endMs) return null;
  return {
    ...view,
    remainingSeconds: Math.max(0, Math.ceil((endMs - now) / 1000)),
    plateCorrectableUntil: stillCorrectable(view.plateCorrectableUntil, now),
    serverTime: iso(now),
  };
}
