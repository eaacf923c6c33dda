import { activeSql, heldUntilSql } from '../bookings/completion';
import { heldSql } from '../bookings/holds';
import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import type { VehicleType } from './service';

/** Who is in a slot. Staff-only: the public slot list never names vehicles. */
export interface SlotOccupant {
  bookingId: number;
  reference: string;
  vehicleNumber: string;
  startTime: string;
  endTime: string;
}

export interface LotMapSlot {
  id: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: boolean;
  /**
   * reserved: nobody is in it now, but an Advance booking starts before an Instant one would end.
   * held: nobody else can book it until heldUntil: a finished booking's grace hold keeps it
   * for that driver (occupant), or a driver at a kiosk has chosen it and is typing their plate
   * (issue 13; occupant null).
   */
  state: 'free' | 'taken' | 'held' | 'reserved' | 'maintenance';
  /** While held: when the hold ends and the slot frees (a slot hold may be renewed). */
  heldUntil: string | null;
  occupant: SlotOccupant | null;
  /** The next booking that starts later (an Advance booking), if any. */
  next: SlotOccupant | null;
}

export interface LotMap {
  lotId: number;
  serverTime: string;
  slots: LotMapSlot[];
}

interface Row {
  id: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: number;
  bookingMinutes: number;
  current: string | null;
  held: string | null;
  upcoming: string | null;
  heldUntil: number | null;
}

// One row per slot; the running booking and the next one come back as JSON so the whole map is one query.
const MAP_SQL = `
  SELECT s.id, s.label, s.vehicle_type AS vehicleType, s.hourly_price AS hourlyPrice, s.enabled,
         (SELECT booking_minutes FROM lots WHERE id = s.lot_id) AS bookingMinutes,
         (SELECT json_object('bookingId', b.id, 'reference', b.reference, 'vehicleNumber', b.vehicle_number,
                             'startMs', b.start_ms, 'endMs', b.end_ms)
            FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')} AND b.start_ms <= @now
           ORDER BY b.end_ms DESC LIMIT 1) AS current,
         (SELECT json_object('bookingId', b.id, 'reference', b.reference, 'vehicleNumber', b.vehicle_number,
                             'startMs', b.start_ms, 'endMs', b.end_ms, 'graceUntilMs', b.grace_until_ms)
            FROM bookings b WHERE b.slot_id = s.id AND ${heldSql('b')} AND b.end_ms <= @now
             AND NOT EXISTS (SELECT 1 FROM bookings r WHERE r.renewed_from_id = b.id)
           ORDER BY b.grace_until_ms DESC LIMIT 1) AS held,
         (SELECT json_object('bookingId', b.id, 'reference', b.reference, 'vehicleNumber', b.vehicle_number,
                             'startMs', b.start_ms, 'endMs', b.end_ms)
            FROM bookings b WHERE b.slot_id = s.id AND b.status = 'booked' AND b.start_ms > @now
           ORDER BY b.start_ms LIMIT 1) AS upcoming,
         ${heldUntilSql('s.id')} AS heldUntil
    FROM slots s WHERE s.lot_id = @lotId ORDER BY s.position, s.id`;

function occupant(json: string | null): SlotOccupant | null {
  if (json === null) return null;
  const row = JSON.parse(json) as { bookingId: number; reference: string; vehicleNumber: string; startMs: number; endMs: number };
  return {
    bookingId: row.bookingId,
    reference: row.reference,
    vehicleNumber: row.vehicleNumber,
    startTime: new Date(row.startMs).toISOString(),
    endTime: new Date(row.endMs).toISOString(),
  };
}

export function lotMap(core: KioskCore, lotId: number): LotMap {
  return runRead(core, (tx) => {
    if (!statement(core, 'SELECT 1 FROM lots WHERE id = ?').get(lotId)) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    // Staff hold nothing, so every live hold shows.
    const rows = statement(core, MAP_SQL).all({ now: tx.now, lotId, holdTokenHash: null }) as Row[];
    return {
      lotId,
      serverTime: new Date(tx.now).toISOString(),
      slots: rows.map((row) => {
        const current = occupant(row.current);
        const held = current ? null : occupant(row.held);
        const graceHeldUntil = held ? new Date((JSON.parse(row.held!) as { graceUntilMs: number }).graceUntilMs).toISOString() : null;
        const slotHeldUntil = row.heldUntil === null ? null : new Date(row.heldUntil).toISOString();
        const next = occupant(row.upcoming);
        const reserved = next !== null && Date.parse(next.startTime) < tx.now + row.bookingMinutes * 60_000;
        return {
          id: row.id,
          label: row.label,
          vehicleType: row.vehicleType,
          hourlyPrice: row.hourlyPrice,
          enabled: row.enabled === 1,
          state: current ? 'taken' : held ? 'held' : row.enabled !== 1 ? 'maintenance' : slotHeldUntil ? 'held' : reserved ? 'reserved' : 'free',
          occupant: current ?? held,
          heldUntil: graceHeldUntil ?? slotHeldUntil,
          next,
        };
      }),
    };
  });
}
