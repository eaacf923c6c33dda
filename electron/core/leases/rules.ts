import type { KioskCore } from '../kiosk-core';
import { flatPrice } from '../bookings/rules';
import { runInTransaction } from '../shared/unit-of-work';
import type { LeaseSlotRow } from './store';
import { fail } from '../shared/errors';
import { leaseSettings } from './settings';

/**
 * Slot leases (issue 14, docs/multi-kiosk.md). The hub is the lot's only writer; a satellite
 * sells on its own only the slots it holds a lease on, and only while the hub is out of reach.
 * A lease blocks its slot at the hub until `blocked_until` = expires_at + clock-skew allowance +
 * the stay a satellite sells offline (the lot's default booking length) + the lot's grace
 * (store.ts offlineHoldMs): a booking the satellite sold just before its lease ran out, with its
 * grace, still fits before anyone else may have the slot.
 * The trigger of migration slot_leases refuses the same as `assertSlotNotLeased`.
 */

export interface LeasedSlot {
  slotId: number;
  lotId: number;
  label: string;
  vehicleType: string;
  currency: string;
  /** The stay a satellite sells offline on this slot, and its price (the flat rule of the slot). */
  stayMinutes: number;
  price: number;
}

export interface LeaseGrant {
  /** The hub's "now" when granting: the satellite measures the lease from its own clock at the request. */
  hubNow: string;
  expiresAt: string;
  renewMs: number;
  skewMs: number;
  slots: LeasedSlot[];
}

const toLeasedSlot = (row: LeaseSlotRow): LeasedSlot => ({
  slotId: row.slotId,
  lotId: row.lotId,
  label: row.label,
  vehicleType: row.vehicleType,
  currency: row.currency,
  stayMinutes: row.bookingMinutes,
  price: flatPrice(row.hourlyPrice, row.bookingMinutes),
});

/**
 * Grants or renews the satellite's leases: each lease it holds on a slot that is still free is
 * renewed (a slot it sold meanwhile, now booked at the hub after its replay, is not renewed and
 * lapses at its blocked_until), then free slots top it up to the lot's number. Never two
 * leases on one slot (the slot is the key, and a lapsing lease keeps its row until it is over).
 */
export function grantLeases(core: KioskCore, satelliteId: string, options: { journalBacklog?: number } = {}): LeaseGrant {
  // Reported for the console; a lease is never cut short anyway (below), so a backlog changes nothing here.
  const keepAll = (options.journalBacklog ?? 0) > 0;
  const settings = leaseSettings(core);
  return runInTransaction(core, (tx) => {
    const now = tx.now;
    const expiresAt = now + settings.leaseMs;
    const blockedFor = (row: LeaseSlotRow) => expiresAt + settings.skewMs + row.offlineHoldMs;
    // Leases that no longer block anything are gone for every rule already; tidy them.
    core.leases.tidy(now);
    const held = core.leases.heldBy(satelliteId);
    const kept: LeaseSlotRow[] = [];
    for (const row of held) {
      const blockedUntil = Math.max(row.oldBlocked, blockedFor(row));
      if (kept.length < settings.slotsPerSatellite && core.leases.stillFree(row.slotId, now, blockedUntil, satelliteId)) {
        core.leases.renew(row.slotId, expiresAt, blockedUntil);
        kept.push(row);
      }
      // A lease not renewed is never cut short: the satellite may not have heard yet (its
      // answer can be lost), so the row blocks the slot until its own blocked_until.
      void keepAll;
    }
    if (kept.length < settings.slotsPerSatellite) {
      const candidates = core.leases.candidates({ now, expiresAt, skewMs: settings.skewMs, satelliteId, limit: settings.slotsPerSatellite - kept.length });
      for (const row of candidates) {
        core.leases.insert({ slotId: row.slotId, satelliteId, now, expiresAt, blockedUntil: blockedFor(row) });
        kept.push(row);
      }
    }
    const lotIds = new Set([...held, ...kept].map((row) => row.lotId));
    for (const lotId of lotIds) tx.events.push({ kind: 'slots', lotId });
    return {
      hubNow: new Date(now).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
      renewMs: settings.renewMs,
      skewMs: settings.skewMs,
      slots: kept.map(toLeasedSlot),
    };
  });
}

/** Gives back every lease of a satellite (it is shutting down cleanly, or was revoked). */
export function releaseLeases(core: KioskCore, satelliteId: string): void {
  runInTransaction(core, () => {
    core.leases.releaseAll(satelliteId);
  });
}

/**
 * The booking-create check (the trigger is the last line of defence): a booking starting at
 * `startMs` on a slot leased to a satellite other than `satelliteId` is refused, SLOT_LEASED.
 */
export function assertSlotNotLeased(
  core: KioskCore,
  slot: { id: number; label: string },
  startMs: number,
  now: number,
  satelliteId: string | null = null,
): void {
  const holder = core.leases.blockerOf(slot.id, now, startMs);
  if (holder !== undefined && holder !== satelliteId) {
    fail('CONFLICT', `Slot ${slot.label} is kept for another kiosk of this lot right now. Please choose another slot.`, 'SLOT_LEASED');
  }
}
