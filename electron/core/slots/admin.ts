import { recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction, runRead, type Tx } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import type { VehicleType } from './service';
import { markCancelled } from '../bookings/service';
import { expandLabels } from '../../../shared/slot-labels';

/** A slot as the console manages it: its settings plus how much booking history hangs on it. */
export interface AdminSlotView {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: boolean;
  position: number;
  /** Booked bookings that have not ended yet (running now or starting later). */
  activeBookings: number;
  /** Every booking ever made on this slot; a slot with any cannot be deleted. */
  totalBookings: number;
}

export type ActiveBookingChoice = 'keep' | 'cancel';

export function listAdminSlots(core: KioskCore, lotId: number): AdminSlotView[] {
  return runRead(core, (tx) => {
    mustFindLot(core, lotId);
    const rows = core.slots.adminOfLot(lotId, tx.now);
    return rows;
  });
}

export interface NewSlot {
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
}

export function addSlot(core: KioskCore, actor: AuditActor, input: NewSlot): AdminSlotView {
  return runInTransaction(core, (tx) => {
    mustFindLot(core, input.lotId);
    assertLabelFree(core, input.lotId, input.label, null);
    const position = core.slots.nextPosition(input.lotId);
    const id = core.slots.insert({
      lotId: input.lotId,
      label: input.label,
      vehicleType: input.vehicleType,
      hourlyPrice: input.hourlyPrice,
      position,
      createdAt: tx.now,
    });
    recordAudit(core, tx.now, actor, 'slot.add', { slotId: id, label: input.label, vehicleType: input.vehicleType, hourlyPrice: input.hourlyPrice });
    tx.events.push({ kind: 'slots', lotId: input.lotId });
    return slotView(core, tx, id);
  });
}

export interface NewSlotRow {
  lotId: number;
  /** A row as typed: "A1–A12", "A1, A2, B7"; see expandLabels. */
  labels: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
}

/**
 * Adds a row of slots in one transaction: all of them or none. Labels must be new in the lot
 * (compared without case, as the single add does); the error names the ones that clash.
 */
export function addSlots(core: KioskCore, actor: AuditActor, input: NewSlotRow): AdminSlotView[] {
  const expanded = expandLabels(input.labels);
  if (!expanded.ok) return fail('BAD_REQUEST', expanded.problem, 'LABELS_INVALID');
  const labels = expanded.labels;
  return runInTransaction(core, (tx) => {
    mustFindLot(core, input.lotId);
    const existing = new Set(core.slots.labelsOf(input.lotId).map((label) => label.toLowerCase()));
    const taken = labels.filter((label) => existing.has(label.toLowerCase()));
    if (taken.length > 0) {
      const named = taken.slice(0, 5).join(', ') + (taken.length > 5 ? ` and ${taken.length - 5} more` : '');
      fail('CONFLICT', `The lot already has slot${taken.length === 1 ? '' : 's'} ${named}.`, 'LABEL_TAKEN');
    }
    let position = core.slots.nextPosition(input.lotId);
    const ids = labels.map((label) =>
      core.slots.insert({ lotId: input.lotId, label, vehicleType: input.vehicleType, hourlyPrice: input.hourlyPrice, position: position++, createdAt: tx.now }),
    );
    recordAudit(core, tx.now, actor, 'slot.addMany', {
      count: labels.length,
      first: labels[0],
      last: labels[labels.length - 1],
      vehicleType: input.vehicleType,
      hourlyPrice: input.hourlyPrice,
    });
    tx.events.push({ kind: 'slots', lotId: input.lotId });
    return ids.map((id) => slotView(core, tx, id));
  });
}

export interface SlotChanges {
  label?: string;
  vehicleType?: VehicleType;
  hourlyPrice?: number;
}

/**
 * Renames a slot, changes its vehicle type or its hourly price. Running bookings keep the
 * price they were sold at; only new bookings see the new one.
 */
export function updateSlot(core: KioskCore, actor: AuditActor, slotId: number, changes: SlotChanges): AdminSlotView {
  return runInTransaction(core, (tx) => {
    const before = mustFindSlot(core, tx, slotId);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (changes.label !== undefined && changes.label !== before.label) {
      assertLabelFree(core, before.lotId, changes.label, slotId);
      core.slots.setLabel(slotId, changes.label);
      changed.label = { from: before.label, to: changes.label };
    }
    if (changes.vehicleType !== undefined && changes.vehicleType !== before.vehicleType) {
      core.slots.setVehicleType(slotId, changes.vehicleType);
      changed.vehicleType = { from: before.vehicleType, to: changes.vehicleType };
    }
    if (changes.hourlyPrice !== undefined && changes.hourlyPrice !== before.hourlyPrice) {
      core.slots.setHourlyPrice(slotId, changes.hourlyPrice);
      changed.hourlyPrice = { from: before.hourlyPrice, to: changes.hourlyPrice };
    }
    if (Object.keys(changed).length > 0) {
      const action = changed.hourlyPrice ? 'price.slot' : 'slot.update';
      recordAudit(core, tx.now, actor, action, { slotId, label: changes.label ?? before.label, changes: changed });
      tx.events.push({ kind: 'slots', lotId: before.lotId });
    }
    return slotView(core, tx, slotId);
  });
}

/**
 * Closes a slot for maintenance. Bookings that have not ended yet need a decision: keep them
 * running (the slot only stops taking new bookings) or cancel them. Without one, nothing changes.
 */
export function disableSlot(
  core: KioskCore,
  actor: AuditActor,
  slotId: number,
  activeBookings: ActiveBookingChoice | undefined,
  reason: string | null,
): AdminSlotView {
  return runInTransaction(core, (tx) => {
    const slot = mustFindSlot(core, tx, slotId);
    if (!slot.enabled) fail('PRECONDITION_FAILED', `Slot ${slot.label} is already closed for maintenance.`);
    const active = activeOn(core, tx, slotId);
    if (active.length > 0 && activeBookings === undefined) {
      fail(
        'PRECONDITION_FAILED',
        `Slot ${slot.label} has ${describeActive(active)}. Choose whether to keep ${active.length === 1 ? 'it' : 'them'} running or cancel ${active.length === 1 ? 'it' : 'them'} before closing the slot.`,
      );
    }
    const cancelled: string[] = [];
    if (activeBookings === 'cancel') {
      const why = reason || `Slot ${slot.label} closed for maintenance`;
      for (const booking of active) {
        markCancelled(core, tx, { id: booking.id, lotId: slot.lotId, slotId }, `staff:${actor.name}`, why);
        cancelled.push(booking.reference);
      }
    }
    core.slots.setEnabled(slotId, false);
    recordAudit(core, tx.now, actor, 'slot.disable', {
      slotId,
      label: slot.label,
      activeBookings: active.length === 0 ? 'none' : activeBookings,
      cancelled,
      reason,
    });
    tx.events.push({ kind: 'slots', lotId: slot.lotId });
    return slotView(core, tx, slotId);
  });
}

export function enableSlot(core: KioskCore, actor: AuditActor, slotId: number): AdminSlotView {
  return runInTransaction(core, (tx) => {
    const slot = mustFindSlot(core, tx, slotId);
    if (slot.enabled) fail('PRECONDITION_FAILED', `Slot ${slot.label} is already open.`);
    core.slots.setEnabled(slotId, true);
    recordAudit(core, tx.now, actor, 'slot.enable', { slotId, label: slot.label });
    tx.events.push({ kind: 'slots', lotId: slot.lotId });
    return slotView(core, tx, slotId);
  });
}

/** Deletes a slot that was never booked. Bookings point at their slot, so history forbids it. */
export function deleteSlot(core: KioskCore, actor: AuditActor, slotId: number): { id: number; label: string } {
  return runInTransaction(core, (tx) => {
    const slot = mustFindSlot(core, tx, slotId);
    if (slot.totalBookings > 0) {
      fail(
        'PRECONDITION_FAILED',
        `Slot ${slot.label} has ${slot.totalBookings} booking${slot.totalBookings === 1 ? '' : 's'} in its history, so it cannot be deleted. Close it for maintenance instead.`,
      );
    }
    core.slots.remove(slotId);
    recordAudit(core, tx.now, actor, 'slot.delete', { slotId, label: slot.label });
    tx.events.push({ kind: 'slots', lotId: slot.lotId });
    return { id: slotId, label: slot.label };
  });
}

type ActiveBooking = ReturnType<KioskCore['bookings']['activeOnSlot']>[number];

function activeOn(core: KioskCore, tx: Tx, slotId: number): ActiveBooking[] {
  return core.bookings.activeOnSlot(slotId, tx.now);
}

function describeActive(active: ActiveBooking[]): string {
  const refs = active
    .slice(0, 3)
    .map((b) => b.reference)
    .join(', ');
  const more = active.length > 3 ? ` and ${active.length - 3} more` : '';
  return active.length === 1 ? `an active booking (${refs})` : `${active.length} active bookings (${refs}${more})`;
}

function assertLabelFree(core: KioskCore, lotId: number, label: string, exceptSlotId: number | null): void {
  const clash = core.slots.idByLabel(lotId, label);
  if (clash !== undefined && clash !== exceptSlotId) fail('CONFLICT', `There is already a slot called ${label} in this lot.`);
}

function mustFindLot(core: KioskCore, lotId: number): void {
  if (!core.lots.exists(lotId)) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
}

function mustFindSlot(core: KioskCore, tx: Tx, slotId: number): AdminSlotView {
  const row = core.slots.adminById(slotId, tx.now);
  if (!row) throw new DomainError('NOT_FOUND', `There is no slot number ${slotId}.`);
  return row;
}

const slotView = (core: KioskCore, tx: Tx, slotId: number) => mustFindSlot(core, tx, slotId);
