import { newReference } from '../bookings/references';
import { issueReceipt } from '../receipts/service';
import { runInTransaction, statement, type KioskCore, type Tx } from '../shared/core';
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
      const seen = statement(core, 'SELECT outcome FROM satellite_replays WHERE event_id = ?').get(event.eventId) as { outcome: string } | undefined;
      if (seen) return { ...(JSON.parse(seen.outcome) as ReplayOutcome), repeat: true };
      const outcome = applyOne(core, tx, satellite, event);
      statement(core, 'INSERT INTO satellite_replays (event_id, satellite_id, kind, applied_at, outcome) VALUES (?, ?, ?, ?, ?)').run(
        event.eventId,
        satellite.id,
        event.kind,
        tx.now,
        JSON.stringify(outcome),
      );
      return outcome;
    }),
  );
}

interface HubBooking {
  id: number;
  lotId: number;
  slotId: number;
  status: string;
  endMs: number;
  chainStartMs: number;
}

const byGlobalId = (core: KioskCore, globalId: string) =>
  statement(core, 'SELECT id, lot_id AS lotId, slot_id AS slotId, status, end_ms AS endMs, chain_start_ms AS chainStartMs FROM bookings WHERE global_id = ?').get(globalId) as
    | HubBooking
    | undefined;

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
  const slot = statement(core, 'SELECT id, lot_id AS lotId, vehicle_type AS vehicleType FROM slots WHERE id = ?').get(event.slotId) as
    | { id: number; lotId: number; vehicleType: string }
    | undefined;
  if (!slot) return { ...base, result: 'refused', reason: 'NOT_FOUND' };
  let renewedFrom: HubBooking | undefined;
  if (event.kind === 'renew') {
    renewedFrom = byGlobalId(core, event.fromGlobalId);
    if (!renewedFrom) return { ...base, result: 'refused', reason: 'NOT_FOUND' };
  }
  const startMs = Date.parse(event.startTime);
  const endMs = Date.parse(event.endTime);
  const taken = (ref: string) => statement(core, 'SELECT 1 FROM bookings WHERE reference = ?').get(ref) !== undefined;
  const reference = taken(event.reference) ? newReference(taken) : event.reference;
  let id: number;
  try {
    id = Number(
      statement(
        core,
        `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price,
           renewed_from_id, chain_start_ms, grace_until_ms, created_at, global_id, satellite_id)
         VALUES (?, ?, ?, ?, ?, 'instant', 'booked', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        reference,
        slot.lotId,
        slot.id,
        event.vehicleNumber,
        slot.vehicleType,
        startMs,
        endMs,
        event.price,
        renewedFrom?.id ?? null,
        renewedFrom?.chainStartMs ?? startMs,
        endMs,
        tx.now,
        event.globalId,
        satellite.id,
      ).lastInsertRowid,
    );
  } catch (error) {
    // Cannot happen while leases hold (the hub sold none of the slot); kept as a typed refusal
    // the satellite shows staff, never a lost event.
    const message = error instanceof Error ? error.message : '';
    if (/BOOKING_OVERLAP|SLOT_LEASED|SLOT_HELD/.test(message)) return { ...base, result: 'refused', reason: 'SLOT_TAKEN' };
    if (message.includes('bookings.renewed_from_id')) return { ...base, result: 'refused', reason: 'ALREADY_RENEWED' };
    throw error;
  }
  issueReceipt(core, tx, id, event.kind === 'renew' ? 'renewal' : 'booking');
  tx.events.push({ kind: 'booking', change: 'created', bookingId: id, lotId: slot.lotId, slotId: slot.id });
  return { ...base, result: 'applied', bookingId: id, ...(reference === event.reference ? {} : { reference }) };
}
