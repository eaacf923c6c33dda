import type { AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { addSlot, disableSlot, enableSlot, updateSlot } from './admin';
import type { SlotMapDocument } from './document-schemas';

/**
 * The slot map and the settings of a lot as the central office hands them down (issue 15;
 * docs/central.md, "Documents"). The rule when a central document meets the lot's own edits:
 * central wins for every field it names, and only for those. A slot map names slots by label;
 * a listed slot is created or brought to the listed type, price and state; a slot the lot
 * has and the map does not list is left as the lot keeps it (a lot's own slot is never
 * removed by central; to close one, central lists it as closed). Slots are never deleted,
 * because bookings point at them. Settings a document leaves out keep the lot's value. The
 * lot's own earlier edits were sent up before the pull (their outbox events) and stay in
 * its audit log, so nothing the lot did is lost.
 */

export interface SlotMapOutcome {
  added: string[];
  changed: string[];
  closed: string[];
  opened: string[];
  /** Slots the lot has that the map does not list: kept as they are. */
  keptUnlisted: number;
}

/** Applies a slot map in one transaction through the slot rules (all of it, or none). */
export function applySlotMap(core: KioskCore, actor: AuditActor, lotId: number, doc: SlotMapDocument): SlotMapOutcome {
  return runInTransaction(core, (tx) => {
    const outcome: SlotMapOutcome = { added: [], changed: [], closed: [], opened: [], keptUnlisted: 0 };
    const listed = new Set<number>();
    for (const wanted of doc.slots) {
      const existingId = core.slots.idByLabel(lotId, wanted.label);
      const before = existingId === undefined ? undefined : core.slots.adminById(existingId, tx.now);
      const slot = before
        ? updateSlot(core, actor, before.id, { vehicleType: wanted.vehicleType, hourlyPrice: wanted.hourlyPrice })
        : addSlot(core, actor, { lotId, label: wanted.label, vehicleType: wanted.vehicleType, hourlyPrice: wanted.hourlyPrice });
      listed.add(slot.id);
      if (!before) outcome.added.push(slot.label);
      else if (before.vehicleType !== wanted.vehicleType || before.hourlyPrice !== wanted.hourlyPrice) outcome.changed.push(slot.label);
      if (slot.enabled && !wanted.enabled) {
        disableSlot(core, actor, slot.id, 'keep', 'Closed by the central office');
        outcome.closed.push(slot.label);
      } else if (!slot.enabled && wanted.enabled) {
        enableSlot(core, actor, slot.id);
        outcome.opened.push(slot.label);
      }
    }
    outcome.keptUnlisted = core.slots.adminOfLot(lotId, tx.now).filter((slot) => !listed.has(slot.id)).length;
    return outcome;
  });
}
