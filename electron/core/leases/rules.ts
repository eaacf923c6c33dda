import { liveHoldSql } from '../bookings/completion';
import { runInTransaction, runRead, statement, type KioskCore } from '../shared/core';
import { fail } from '../shared/errors';
import { leaseSettings } from './settings';

/**
 * Slot leases (issue 14, docs/multi-kiosk.md). The hub is the lot's only writer; a satellite
 * sells on its own only the slots it holds a lease on, and only while the hub is out of reach.
 * A lease blocks its slot at the hub until `blocked_until` = expires_at + clock-skew allowance +
 * the longest stay a satellite sells offline (the lot's default booking length): a booking the
 * satellite sold just before its lease ran out still fits before anyone else may have the slot.
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

interface SlotRow {
  slotId: number;
  lotId: number;
  label: string;
  vehicleType: string;
  currency: string;
  bookingMinutes: number;
  hourlyPrice: number;
}

const SLOT_COLUMNS = `s.id AS slotId, s.lot_id AS lotId, s.label, s.vehicle_type AS vehicleType, l.currency,
  l.booking_minutes AS bookingMinutes, s.hourly_price AS hourlyPrice`;

// TEMPORARY (integration): text-SQL forms of bookings/rules.ts's holdStartOf/holdsAtOrAfter until this store moves to drizzle.
const holdStartSql = (t: string): string => `(CASE WHEN ${t}.status = 'booked' THEN ${t}.start_ms ELSE ${t}.end_ms END)`;
const heldSql = (t: string, at = '@now'): string =>
  `(${t}.status <> 'cancelled' AND ${t}.grace_until_ms > ${at} AND (${t}.status = 'booked' OR ${t}.grace_until_ms > ${t}.end_ms))`;

/** SQL: slot `s` is free for a lease from @now until @blockedUntil for satellite @satelliteId. */
const FREE_FOR_LEASE = `s.enabled = 1
  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND ${heldSql('b')} AND ${holdStartSql('b')} < @blockedUntil)
  AND NOT EXISTS (SELECT 1 FROM slot_holds h WHERE h.slot_id = s.id AND ${liveHoldSql('h')})
  AND NOT EXISTS (SELECT 1 FROM slot_leases o WHERE o.slot_id = s.id AND o.blocked_until > @now AND o.satellite_id <> @satelliteId)`;

const stayMsOf = (row: SlotRow) => row.bookingMinutes * 60_000;
const toLeasedSlot = (row: SlotRow): LeasedSlot => ({
  slotId: row.slotId,
  lotId: row.lotId,
  label: row.label,
  vehicleType: row.vehicleType,
  currency: row.currency,
  stayMinutes: row.bookingMinutes,
  price: Math.round((row.hourlyPrice * row.bookingMinutes) / 60),
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
    const blockedFor = (row: SlotRow) => expiresAt + settings.skewMs + stayMsOf(row);
    // Leases that no longer block anything are gone for every rule already; tidy them.
    statement(core, 'DELETE FROM slot_leases WHERE blocked_until <= ?').run(now);
    const held = statement(core, `SELECT ${SLOT_COLUMNS}, x.blocked_until AS oldBlocked FROM slot_leases x JOIN slots s ON s.id = x.slot_id JOIN lots l ON l.id = s.lot_id WHERE x.satellite_id = ? ORDER BY s.position, s.id`).all(satelliteId) as (SlotRow & { oldBlocked: number })[];
    const kept: SlotRow[] = [];
    for (const row of held) {
      const blockedUntil = Math.max(row.oldBlocked, blockedFor(row));
      const free = statement(core, `SELECT 1 FROM slots s WHERE s.id = @slotId AND ${FREE_FOR_LEASE}`).get({ slotId: row.slotId, now, blockedUntil, satelliteId });
      if (free && kept.length < settings.slotsPerSatellite) {
        statement(core, 'UPDATE slot_leases SET expires_at = ?, blocked_until = ? WHERE slot_id = ?').run(expiresAt, blockedUntil, row.slotId);
        kept.push(row);
      }
      // A lease not renewed is never cut short: the satellite may not have heard yet (its
      // answer can be lost), so the row blocks the slot until its own blocked_until.
      void keepAll;
    }
    if (kept.length < settings.slotsPerSatellite) {
      // The stay length is per lot; the longest one bounds the candidates' block, checked again per slot.
      const candidates = statement(core, `SELECT ${SLOT_COLUMNS} FROM slots s JOIN lots l ON l.id = s.lot_id
        WHERE NOT EXISTS (SELECT 1 FROM slot_leases x WHERE x.slot_id = s.id) AND ${FREE_FOR_LEASE.replaceAll('@blockedUntil', '(@expiresAt + @skewMs + l.booking_minutes * 60000)')}
        ORDER BY s.position, s.id LIMIT @limit`).all({ now, expiresAt, skewMs: settings.skewMs, satelliteId, limit: settings.slotsPerSatellite - kept.length }) as SlotRow[];
      for (const row of candidates) {
        statement(core, 'INSERT INTO slot_leases (slot_id, satellite_id, granted_at, expires_at, blocked_until) VALUES (?, ?, ?, ?, ?)').run(row.slotId, satelliteId, now, expiresAt, blockedFor(row));
        kept.push(row);
      }
    }
    const lotIds = new Set([...held, ...kept].map((row) => row.lotId));
    for (const lotId of lotIds) tx.events.push({ kind: 'slots', lotId });
    return { hubNow: new Date(now).toISOString(), expiresAt: new Date(expiresAt).toISOString(), renewMs: settings.renewMs, skewMs: settings.skewMs, slots: kept.map(toLeasedSlot) };
  });
}

/** Gives back every lease of a satellite (it is shutting down cleanly, or was revoked). */
export function releaseLeases(core: KioskCore, satelliteId: string): void {
  runInTransaction(core, () => {
    statement(core, 'DELETE FROM slot_leases WHERE satellite_id = ?').run(satelliteId);
  });
}

/** Slots no one but their lease holder may sell at `now` (the hub's own kiosk shows them as not available). */
export function leasedSlotIds(core: KioskCore, now: number): Set<number> {
  const rows = runRead(core, () => statement(core, 'SELECT slot_id AS slotId FROM slot_leases WHERE blocked_until > ?').all(now)) as { slotId: number }[];
  return new Set(rows.map((row) => row.slotId));
}

/**
 * The booking-create check (the trigger is the last line of defence): a booking starting at
 * `startMs` on a slot leased to a satellite other than `satelliteId` is refused, SLOT_LEASED.
 */
export function assertSlotNotLeased(core: KioskCore, slot: { id: number; label: string }, startMs: number, now: number, satelliteId: string | null = null): void {
  const lease = statement(core, 'SELECT satellite_id AS satelliteId FROM slot_leases WHERE slot_id = ? AND blocked_until > ? AND ? < blocked_until').get(slot.id, now, startMs) as
    | { satelliteId: string }
    | undefined;
  if (lease && lease.satelliteId !== satelliteId) {
    fail('CONFLICT', `Slot ${slot.label} is kept for another kiosk of this lot right now. Please choose another slot.`, 'SLOT_LEASED');
  }
}
