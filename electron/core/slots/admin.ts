import { activeSql } from '../bookings/completion';
import { recordAudit, type AuditActor } from '../audit/service';
import { runInTransaction, runRead, statement, type KioskCore, type Tx } from '../shared/core';
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

interface SlotRow {
  id: number;
  lotId: number;
  label: string;
  vehicleType: VehicleType;
  hourlyPrice: number;
  enabled: number;
  position: number;
  activeBookings: number;
  totalBookings: number;
}

const SLOT_SQL = `
  SELECT s.id, s.lot_id AS lotId, s.label, s.vehicle_type AS vehicleType, s.hourly_price AS hourlyPrice,
         s.enabled, s.position,
         (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND ${activeSql('b')}) AS activeBookings,
         (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id) AS totalBookings
    FROM slots s`;

const toView = (row: SlotRow): AdminSlotView => ({ ...row, enabled: row.enabled === 1 });

export function listAdminSlots(core: KioskCore, lotId: number): AdminSlotView[] {
  return runRead(core, (tx) => {
    mustFindLot(core, lotId);
    const rows = statement(core, `${SLOT_SQL} WHERE s.lot_id = @lotId ORDER BY s.position, s.id`).all({ now: tx.now, lotId }) as SlotRow[];
    return rows.map(toView);
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
    const position = (statement(core, 'SELECT coalesce(max(position), -1) + 1 AS p FROM slots WHERE lot_id = ?').get(input.lotId) as { p: number }).p;
    const id = Number(
      statement(core, `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)`)
        .run(input.lotId, input.label, input.vehicleType, input.hourlyPrice, position, tx.now).lastInsertRowid,
    );
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
    const existing = new Set(
      (statement(core, 'SELECT label FROM slots WHERE lot_id = ?').all(input.lotId) as { label: string }[]).map((row) => row.label.toLowerCase()),
    );
    const taken = labels.filter((label) => existing.has(label.toLowerCase()));
    if (taken.length > 0) {
      const named = taken.slice(0, 5).join(', ') + (taken.length > 5 ? ` and ${taken.length - 5} more` : '');
      fail('CONFLICT', `The lot already has slot${taken.length === 1 ? '' : 's'} ${named}.`, 'LABEL_TAKEN');
    }
    let position = (statement(core, 'SELECT coalesce(max(position), -1) + 1 AS p FROM slots WHERE lot_id = ?').get(input.lotId) as { p: number }).p;
    const insert = statement(core, `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)`);
    const ids = labels.map((label) => Number(insert.run(input.lotId, label, input.vehicleType, input.hourlyPrice, position++, tx.now).lastInsertRowid));
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
      statement(core, 'UPDATE slots SET label = ? WHERE id = ?').run(changes.label, slotId);
      changed.label = { from: before.label, to: changes.label };
    }
    if (changes.vehicleType !== undefined && changes.vehicleType !== before.vehicleType) {
      statement(core, 'UPDATE slots SET vehicle_type = ? WHERE id = ?').run(changes.vehicleType, slotId);
      changed.vehicleType = { from: before.vehicleType, to: changes.vehicleType };
    }
    if (changes.hourlyPrice !== undefined && changes.hourlyPrice !== before.hourlyPrice) {
      statement(core, 'UPDATE slots SET hourly_price = ? WHERE id = ?').run(changes.hourlyPrice, slotId);
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
    statement(core, 'UPDATE slots SET enabled = 0 WHERE id = ?').run(slotId);
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
    statement(core, 'UPDATE slots SET enabled = 1 WHERE id = ?').run(slotId);
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
    statement(core, 'DELETE FROM slots WHERE id = ?').run(slotId);
    recordAudit(core, tx.now, actor, 'slot.delete', { slotId, label: slot.label });
    tx.events.push({ kind: 'slots', lotId: slot.lotId });
    return { id: slotId, label: slot.label };
  });
}

interface ActiveBooking {
  id: number;
  reference: string;
  endMs: number;
}

function activeOn(core: KioskCore, tx: Tx, slotId: number): ActiveBooking[] {
  return statement(
    core,
    `SELECT id, reference, end_ms AS endMs FROM bookings WHERE slot_id = ? AND status = 'booked' AND end_ms > ? ORDER BY start_ms`,
  ).all(slotId, tx.now) as ActiveBooking[];
}

function describeActive(active: ActiveBooking[]): string {
  const refs = active.slice(0, 3).map((b) => b.reference).join(', ');
  const more = active.length > 3 ? ` and ${active.length - 3} more` : '';
  return active.length === 1 ? `an active booking (${refs})` : `${active.length} active bookings (${refs}${more})`;
}

function assertLabelFree(core: KioskCore, lotId: number, label: string, exceptSlotId: number | null): void {
  const clash = statement(core, 'SELECT id FROM slots WHERE lot_id = ? AND label = ? COLLATE NOCASE').get(lotId, label) as { id: number } | undefined;
  if (clash && clash.id !== exceptSlotId) fail('CONFLICT', `There is already a slot called ${label} in this lot.`);
}

function mustFindLot(core: KioskCore, lotId: number): void {
  if (!statement(core, 'SELECT 1 FROM lots WHERE id = ?').get(lotId)) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
}

function mustFindSlot(core: KioskCore, tx: Tx, slotId: number): AdminSlotView {
  const row = statement(core, `${SLOT_SQL} WHERE s.id = @slotId`).get({ now: tx.now, slotId }) as SlotRow | undefined;
  if (!row) throw new DomainError('NOT_FOUND', `There is no slot number ${slotId}.`);
  return toView(row);
}

const slotView = (core: KioskCore, tx: Tx, slotId: number) => mustFindSlot(core, tx, slotId);
