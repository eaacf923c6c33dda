import { fromSqlBoolean, iso, isoOrNull } from '../bookings/mapping';
import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
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

function occupant(json: string | null): SlotOccupant | null {
  if (json === null) return null;
  const row = JSON.parse(json) as { bookingId: number; reference: string; vehicleNumber: string; startMs: number; endMs: number };
  return {
    bookingId: row.bookingId,
    reference: row.reference,
    vehicleNumber: row.vehicleNumber,
    startTime: iso(row.startMs),
    endTime: iso(row.endMs),
  };
}

export function lotMap(core: KioskCore, lotId: number): LotMap {
  return runRead(core, (tx) => {
    if (!core.lots.exists(lotId)) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    // Staff hold nothing, so every live hold shows.
    const rows = core.slots.lotMap(lotId, tx.now);
    return {
      lotId,
      serverTime: new Date(tx.now).toISOString(),
      slots: rows.map((row) => {
        const current = occupant(row.current);
        const held = current ? null : occupant(row.held);
        const graceHeldUntil = held ? iso((JSON.parse(row.held!) as { graceUntilMs: number }).graceUntilMs) : null;
        const slotHeldUntil = isoOrNull(row.heldUntil);
        const enabled = fromSqlBoolean(row.enabled);
        const next = occupant(row.upcoming);
        const reserved = next !== null && Date.parse(next.startTime) < tx.now + row.bookingMinutes * 60_000;
        return {
          id: row.id,
          label: row.label,
          vehicleType: row.vehicleType,
          hourlyPrice: row.hourlyPrice,
          enabled,
          state: current ? 'taken' : held ? 'held' : !enabled ? 'maintenance' : slotHeldUntil ? 'held' : reserved ? 'reserved' : 'free',
          occupant: current ?? held,
          heldUntil: graceHeldUntil ?? slotHeldUntil,
          next,
        };
      }),
    };
  });
}
