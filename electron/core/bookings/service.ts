import { recordAudit, type AuditActor } from '../audit/service';
import { issueBookingToken } from '../auth/booking-tokens';
import { issueReceipt, tariffVersionLabel } from '../receipts/service';
import type { KioskCore } from '../kiosk-core';
import { isTriggerRefusal, isUniqueViolation } from '../shared/sqlite-errors';
import { runInTransaction, runRead, type Tx } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import { convertHold } from '../holds/service';
import { normalizeVehicleNumber } from '../../../shared/plates';
import { statusAt } from './completion';
import { newReference, normalizeReference } from './references';
import { priceLinesToJson } from './mapping';
import type { BookingRecord, ListFilter, SlotForBooking } from './store';
import { toBookingView, type BookingView } from './view';
import { MINUTE_MS } from '../../../shared/local-time';
import { priceNewStay, type PricedStay } from '../pricing/stay';
import { assertSlotNotLeased } from '../leases/rules';

export { ADVANCE_HORIZON_MS } from '../pricing/stay';
export const FIND_THROTTLE = { maxFailures: 8, windowMs: 10 * 60_000, lockMs: 2 * 60_000 };

export interface CreateBookingInput {
  slotId: number;
  vehicleNumber: string;
  bookingType: 'instant' | 'advance';
  startMs?: number;
  /** Default: the tariff's default length (the lot's booking duration for flat-rate lots). */
  durationMinutes?: number;
  /** The driver's hold on the slot (slot.hold): the booking takes its place in the same transaction. */
  holdToken?: string;
}

export interface BookingWithToken {
  booking: BookingView;
  accessToken: string;
}

export interface RenewResult {
  message: string;
  oldBookingId: number;
  newBooking: BookingView;
  accessToken: string;
}

export function createBooking(core: KioskCore, input: CreateBookingInput): BookingWithToken {
  const vehicleNumber = normalizeVehicleNumber(input.vehicleNumber);
  return runInTransaction(core, (tx) => {
    const slot = bookableSlot(core, input.slotId);
    if (input.holdToken !== undefined) convertHold(core, tx, input.holdToken, slot.id);
    // The same function booking.quote answers with, at the same instant: quote equals create.
    const stay = priceNewStay(core, tx.now, slot, input);
    const id = insertBooking(core, tx, slot, vehicleNumber, input.bookingType, stay, null);
    // The receipt is signed and stored in this transaction: no booking without its receipt.
    issueReceipt(core, tx, id, 'booking', tariffVersionLabel(stay.version));
    return withToken(core, tx, id);
  });
}

export function getBooking(core: KioskCore, id: number): BookingView {
  return runRead(core, (tx) => toBookingView(mustFind(core, id), tx.now));
}

export interface ListBookingsInput extends Omit<ListFilter, 'vehicleNumber' | 'reference'> {
  search?: string;
}

export function listBookings(core: KioskCore, input: ListBookingsInput): { items: BookingView[]; nextCursor: number | null } {
  const filter: ListFilter = { ...input };
  if (input.search !== undefined) {
    // One box searches both: the start of a reference, or any part of a plate in any spelling
    // ("kl 07", "KL-07-AB", "1234"). Text with nothing to match matches nothing.
    const compact = input.search.toUpperCase().replace(/[^A-Z0-9]/g, '');
    const junk = /[^A-Za-z0-9\s\-._/]/.test(input.search);
    if (junk) filter.vehicleNumber = '';
    else if (compact) filter.searchText = compact;
  }
  return runRead(core, (tx) => {
    const rows = core.bookings.list({ ...filter, limit: filter.limit + 1 }, tx.now);
    const more = rows.length > filter.limit;
    const page = more ? rows.slice(0, filter.limit) : rows;
    return { items: page.map((row) => toBookingView(row, tx.now)), nextCursor: more ? page[page.length - 1]!.id : null };
  });
}

/** `audit` is the staff member to record in the audit log, in the same transaction as the cancel. */
export function cancelBooking(core: KioskCore, id: number, cancelledBy: string, reason: string | null, audit?: AuditActor): BookingView {
  return runInTransaction(core, (tx) => {
    const row = mustFind(core, id);
    const status = statusAt(row.status, row.endMs, tx.now);
    if (status === 'completed') fail('PRECONDITION_FAILED', 'This booking has already ended, so it cannot be cancelled.');
    if (status === 'cancelled') fail('PRECONDITION_FAILED', 'This booking is already cancelled.');
    markCancelled(core, tx, row, cancelledBy, reason);
    if (audit) recordAudit(core, tx.now, audit, 'booking.cancel', { bookingId: id, reference: row.reference, reason });
    return toBookingView(mustFind(core, id), tx.now);
  });
}

/** Cancels an active booking inside the caller's transaction and announces it after commit. */
export function markCancelled(
  core: KioskCore,
  tx: Tx,
  booking: { id: number; lotId: number; slotId: number },
  cancelledBy: string,
  reason: string | null,
): void {
  core.bookings.cancel({ id: booking.id, at: tx.now, by: cancelledBy, reason });
  tx.events.push({ kind: 'booking', change: 'cancelled', bookingId: booking.id, lotId: booking.lotId, slotId: booking.slotId });
}

export function addCarWash(core: KioskCore, id: number): BookingView {
  return runInTransaction(core, (tx) => {
    const row = mustFind(core, id);
    if (statusAt(row.status, row.endMs, tx.now) !== 'booked') fail('PRECONDITION_FAILED', 'A car wash can only be added while the booking is active.');
    if (row.addOns.some((addOn) => addOn.kind === 'car_wash')) fail('PRECONDITION_FAILED', 'A car wash is already added to this booking.');
    const slot = core.bookings.slotForBooking(row.slotId)!;
    core.bookings.addAddOn({ bookingId: id, kind: 'car_wash', price: slot.carWashPrice, at: tx.now });
    // A car wash is an extension of what was paid: a new 'extension' receipt with the whole
    // price; the booking's first receipt stays exactly as it was issued.
    issueReceipt(core, tx, id, 'extension');
    tx.events.push({ kind: 'booking', change: 'add_on', bookingId: id, lotId: row.lotId, slotId: row.slotId });
    return toBookingView(mustFind(core, id), tx.now);
  });
}

export function renewBooking(core: KioskCore, id: number): RenewResult {
  return runInTransaction(core, (tx) => {
    const old = mustFind(core, id);
    const status = statusAt(old.status, old.endMs, tx.now);
    if (status === 'booked') fail('PRECONDITION_FAILED', 'This booking is still running. It can be renewed once it has ended.');
    if (status === 'cancelled') fail('PRECONDITION_FAILED', 'A cancelled booking cannot be renewed. Please make a new booking.');
    if (old.renewedToId !== null) fail('PRECONDITION_FAILED', 'This booking has already been renewed.');
    const slot = bookableSlot(core, old.slotId);
    // A renewal is a new stay at the renewal time under the current tariff, its default length;
    // the maximum stay counts from the first booking of the chain.
    const stay = priceNewStay(core, tx.now, slot, { bookingType: 'instant' });
    assertChainWithinMaxStay(stay.tariff.maxStayMinutes, old.chainStartMs, stay.endMs);
    const newId = insertBooking(core, tx, slot, old.vehicleNumber, 'instant', stay, { id: old.id, chainStartMs: old.chainStartMs });
    issueReceipt(core, tx, newId, 'renewal', tariffVersionLabel(stay.version));
    tx.events.push({ kind: 'booking', change: 'renewed', bookingId: old.id, lotId: old.lotId, slotId: old.slotId });
    const { booking, accessToken } = withToken(core, tx, newId);
    return { message: 'Booking renewed successfully', oldBookingId: old.id, newBooking: booking, accessToken };
  });
}

/** Renew and extend refuse (PRECONDITION_FAILED) a stay that would outlast the maximum counted from the chain's first start. */
export function assertChainWithinMaxStay(maxStayMinutes: number | null, chainStartMs: number, endMs: number): void {
  if (maxStayMinutes !== null && endMs - chainStartMs > maxStayMinutes * MINUTE_MS) {
    const hours = maxStayMinutes % 60 === 0 ? `${maxStayMinutes / 60} hours` : `${maxStayMinutes} minutes`;
    fail('PRECONDITION_FAILED', `A stay here can last at most ${hours}, counted from the first booking. Please make a new booking instead.`, {
      reason: 'MAX_STAY_EXCEEDED',
      maxMinutes: maxStayMinutes,
    });
  }
}

/**
 * Lets a returning driver resume a booking with its reference and vehicle number. Wrong
 * guesses are counted per client and lock it out for a while, so references cannot be
 * enumerated from a kiosk or the network.
 */
export function findBooking(core: KioskCore, rawReference: string, rawVehicle: string, clientKey: string): BookingWithToken {
  const reference = normalizeReference(rawReference);
  const vehicleNumber = normalizeVehicleNumber(rawVehicle);
  const key = `find:${clientKey}`;
  core.throttle.assertOpen(key, core.clock.now());
  const found = runInTransaction(core, (tx) => {
    const row = core.bookings.byReference(reference);
    if (!row || row.vehicleNumber !== vehicleNumber) return null;
    return withToken(core, tx, row.id);
  });
  if (found) return found;
  core.throttle.recordFailure(key, core.clock.now(), FIND_THROTTLE);
  throw new DomainError('NOT_FOUND', 'No booking matches that reference and vehicle number. Please check both and try again.');
}

function insertBooking(
  core: KioskCore,
  tx: Tx,
  slot: SlotForBooking,
  vehicleNumber: string,
  bookingType: 'instant' | 'advance',
  stay: PricedStay,
  renewal: { id: number; chainStartMs: number } | null,
): number {
  const { startMs, endMs } = stay;
  const renewedFromId = renewal?.id ?? null;
  const clash = core.bookings.slotOverlap({ slotId: slot.id, startMs, holdEndMs: stay.graceUntilMs, renewedFromId });
  if (clash) {
    fail(
      'CONFLICT',
      renewedFromId === null
        ? `Slot ${slot.label} is already booked for that time. Please choose another slot or time.`
        : `Slot ${slot.label} has been booked by someone else since. Please choose another slot.`,
      'SLOT_TAKEN',
    );
  }
  // Someone else's live hold (the caller's own was converted just before): the driver who chose
  // the slot first gets it. The trigger of migration 0005 refuses the same.
  if (core.holds.liveUntil(slot.id, tx.now) !== null) fail('CONFLICT', heldMessage(slot.label), 'SLOT_HELD');
  // A slot leased to a satellite kiosk is that kiosk's to sell (issue 14; trigger of 0011).
  assertSlotNotLeased(core, slot, startMs, tx.now);
  const sameVehicle = core.bookings.vehicleOverlap(vehicleNumber, startMs, endMs);
  if (sameVehicle) fail('CONFLICT', `${vehicleNumber} already has a booking for that time. Use "Find my booking" to see it.`, 'VEHICLE_BUSY');
  let id: number;
  try {
    id = core.bookings.insert({
      reference: newReference(core.bookings.referenceTaken),
      lotId: slot.lotId,
      slotId: slot.id,
      vehicleNumber,
      vehicleType: slot.vehicleType,
      bookingType,
      startMs,
      endMs,
      price: stay.price.amount,
      renewedFromId,
      tariffVersionId: stay.versionId,
      priceBreakdown: priceLinesToJson(stay.price.breakdown),
      chainStartMs: renewal?.chainStartMs ?? startMs,
      graceUntilMs: stay.graceUntilMs,
      createdAt: tx.now,
    });
  } catch (error) {
    // The trigger is the last line of defence (e.g. a second process wrote in between).
    if (isTriggerRefusal(error, 'BOOKING_OVERLAP')) {
      fail('CONFLICT', `Slot ${slot.label} is already booked for that time. Please choose another slot or time.`, 'SLOT_TAKEN');
    }
    if (isTriggerRefusal(error, 'SLOT_HELD')) fail('CONFLICT', heldMessage(slot.label), 'SLOT_HELD');
    if (isTriggerRefusal(error, 'SLOT_LEASED')) assertSlotNotLeased(core, slot, startMs, tx.now);
    if (isUniqueViolation(error, 'bookings.renewed_from_id')) {
      fail('PRECONDITION_FAILED', 'This booking has already been renewed.');
    }
    throw error;
  }
  tx.events.push({ kind: 'booking', change: 'created', bookingId: id, lotId: slot.lotId, slotId: slot.id });
  return id;
}

const heldMessage = (label: string) => `Someone else is booking slot ${label} right now. Please choose another slot.`;

export function bookableSlot(core: KioskCore, slotId: number): SlotForBooking {
  const slot = core.bookings.slotForBooking(slotId);
  if (!slot) throw new DomainError('NOT_FOUND', 'That slot does not exist.');
  if (!slot.enabled) fail('PRECONDITION_FAILED', `Slot ${slot.label} is closed for maintenance. Please choose another slot.`);
  return slot;
}

export function mustFind(core: KioskCore, id: number): BookingRecord {
  const row = core.bookings.byId(id);
  if (!row) throw new DomainError('NOT_FOUND', `There is no booking number ${id}.`);
  return row;
}

export function withToken(core: KioskCore, tx: Tx, id: number): BookingWithToken {
  const row = mustFind(core, id);
  return { booking: toBookingView(row, tx.now), accessToken: issueBookingToken(core.tokenSecret, row, tx.now) };
}
