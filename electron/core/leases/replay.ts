import { issueBookingToken } from '../auth/booking-tokens';
import { newReference } from '../bookings/references';
import { mustFind } from '../bookings/service';
import { issueReceipt } from '../receipts/service';
import type { KioskCore } from '../kiosk-core';
import { DomainError } from '../shared/errors';
import { isTriggerRefusal, isUniqueViolation } from '../shared/sqlite-errors';
import { runInTransaction, type Tx } from '../shared/unit-of-work';
import type { JournalEvent, ReplayOutcome } from './journal-events';

/**
 * Replays a satellite's journal into the hub (issue 14): in order, in one transaction, each
 * event exactly once (satellite_replays keeps every event id and what applying it did, so a
 * repeat after a lost answer changes nothing and gets the same answer). A booking keeps its
 * global id; the trigger of 0011 lets it onto the satellite's own leased slot.
 */
export function applyReplay(core: KioskCore, satellite: { id: string; name: string }, events: readonly JournalEvent[]): ReplayOutcome[] {
  return runInTransaction(core, (tx) =>
    events.map((event) => {
      const seen = core.leases.replayOutcome(event.eventId);
      if (seen !== undefined) return { ...(JSON.parse(seen) as ReplayOutcome), repeat: true };
      const outcome = applyOne(core, tx, satellite, event);
      core.leases.recordReplay({ eventId: event.eventId, satelliteId: satellite.id, kind: event.kind, appliedAt: tx.now, outcome: JSON.stringify(outcome) });
      return outcome;
    }),
  );
}

/**
 * The hub's id and an access token of its own for a booking this satellite sold off line and
 * has replayed: a kiosk screen that showed the sale from the journal goes on showing it across
 * the heal, and from then on the satellite speaks for it with the hub's token (satellite/handover.ts).
 * Only the satellite that sold the booking gets one.
 */
export function replayedBookingAccess(core: KioskCore, satelliteId: string, globalId: string): { bookingId: number; accessToken: string } {
  const row = byGlobalId(core, globalId);
  if (!row || row.satelliteId !== satelliteId) throw new DomainError('NOT_FOUND', 'This kiosk did not sell that booking.');
  return { bookingId: row.id, accessToken: issueBookingToken(core.tokenSecret, mustFind(core, row.id), core.clock.now()) };
}

type HubBooking = NonNullable<ReturnType<KioskCore['bookings']['byGlobalId']>>;

const byGlobalId = (core: KioskCore, globalId: string) => core.bookings.byGlobalId(globalId);

function applyOne(core: KioskCore, tx: Tx, satellite: { id: string; name: string }, event: JournalEvent): ReplayOutcome {
  const base = { eventId: event.eventId, repeat: false };
  if (event.kind === 'cancel') {
    const row = byGlobalId(core, event.globalId);
    if (!row) return { ...base, result: 'refused', reason: 'NOT_FOUND' };
    if (row.status === 'cancelled') return { ...base, result: 'applied', bookingId: row.id };
    const at = Date.parse(event.at);
    // The satellite cancelled before the end by its clock; the hub may have completed it since.
    if (row.status !== 'booked' || at >= row.endMs) return { ...base, result: 'refused', bookingId: row.id, reason: 'ALREADY_ENDED' };
    core.bookings.cancel({ id: row.id, at, by: `satellite:${satellite.name}`, reason: 'Cancelled at a kiosk while the hub was out of reach' });
    tx.events.push({ kind: 'booking', change: 'cancelled', bookingId: row.id, lotId: row.lotId, slotId: row.slotId });
    return { ...base, result: 'applied', bookingId: row.id };
  }
  const existing = byGlobalId(core, event.globalId);
  if (existing) return { ...base, result: 'applied', bookingId: existing.id };
  const slot = core.slots.identity(event.slotId);
  if (!slot) return { ...base, result: 'refused', reason: 'NOT_FOUND' };
  let renewedFrom: HubBooking | undefined;
  if (event.kind === 'renew') {
    renewedFrom = byGlobalId(core, event.fromGlobalId);
    if (!renewedFrom) return { ...base, result: 'refused', reason: 'NOT_FOUND' };
  }
  const startMs = Date.parse(event.startTime);
  const endMs = Date.parse(event.endTime);
  const taken = (ref: string) => core.bookings.referenceTaken(ref);
  const reference = taken(event.reference) ? newReference(taken) : event.reference;
  // The grace a hub sale on this lot gets (the flat rule the satellite sold by): the lease kept the
  // slot long enough for it (leases/rules.ts). Should the lot's grace have grown since the lease,
  // the sale still counts without it rather than be refused.
  const graceMinutes = core.lots.byId(slot.lotId)?.graceMinutes ?? 0;
  const insert = (graceUntilMs: number) =>
    core.bookings.insertReplayed({
      reference,
      lotId: slot.lotId,
      slotId: slot.id,
      vehicleNumber: event.vehicleNumber,
      vehicleType: slot.vehicleType,
      startMs,
      endMs,
      price: event.price,
      renewedFromId: renewedFrom?.id ?? null,
      chainStartMs: renewedFrom?.chainStartMs ?? startMs,
      graceUntilMs,
      createdAt: tx.now,
      globalId: event.globalId,
      satelliteId: satellite.id,
    });
  const refusedBySlot = (error: unknown) => ['BOOKING_OVERLAP', 'SLOT_LEASED', 'SLOT_HELD'].some((reason) => isTriggerRefusal(error, reason));
  let id: number;
  try {
    try {
      id = insert(endMs + graceMinutes * 60_000);
    } catch (error) {
      if (graceMinutes === 0 || !refusedBySlot(error)) throw error;
      id = insert(endMs);
    }
  } catch (error) {
    // Cannot happen while leases hold (the hub sold none of the slot); kept as a typed refusal
    // the satellite shows staff, never a lost event.
    if (refusedBySlot(error)) return { ...base, result: 'refused', reason: 'SLOT_TAKEN' };
    if (isUniqueViolation(error, 'bookings.renewed_from_id')) return { ...base, result: 'refused', reason: 'ALREADY_RENEWED' };
    throw error;
  }
  issueReceipt(core, tx, id, event.kind === 'renew' ? 'renewal' : 'booking');
  tx.events.push({ kind: 'booking', change: 'created', bookingId: id, lotId: slot.lotId, slotId: slot.id });
  return { ...base, result: 'applied', bookingId: id, ...(reference === event.reference ? {} : { reference }) };
}
