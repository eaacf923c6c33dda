import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { bookings } from '../../../db/schema';
import { activeAt, heldUntilOf, type BookingStatus, type BookingsTable, type SqlInstant } from './completion';
import { leaseBlocksAt } from '../leases/sql';

/**
 * The booking rules every query and view uses, in one place. "Due", "active" and the status at
 * an instant are completion.ts's; this file builds the overlap and availability rules on them.
 * Each rule is a drizzle `sql` fragment over a bookings table or alias `t` (the instants are
 * placeholders, columns or values), so the stores that query bookings, slots and lots share it.
 *
 * The grace hold, the one overlap rule (docs/tariffs.md, "Grace"): a booked booking holds its
 * slot from its start until `grace_until_ms` (its end plus the grace of its tariff version); a
 * completed one still holds [end, grace_until_ms), its grace; a cancelled one holds nothing.
 * Two holds on one slot may not meet. The exception is a renewal's own chain: a renewal starts
 * inside the hold of the booking it renews. Flat-rate bookings (no saved tariff) hold for the
 * lot's graceMinutes setting (default 10); only rows inserted without grace_until_ms (tools,
 * bulk seeding: the bookings_fill_hold trigger) hold until their end.
 *
 * The database keeps its own copy of this invariant: the triggers of
 * db/migrations/0001_booking_overlap_guard.sql and 0005_grace_hold.sql (and the slot-hold
 * triggers of 0008_slot_holds.sql). The core checks first so a clash gets a typed reason; the
 * triggers are the last line of defence. Change both together.
 */

/** SQL: where the hold of a row of `t` begins: its start while booked, its end once completed (the grace). */
export const holdStartOf = (t: BookingsTable): SQL => sql`(CASE WHEN ${t.status} = 'booked' THEN ${t.startMs} ELSE ${t.endMs} END)`;

/** SQL: rows of `t` holding their slot at `at` or later: running, yet to start, or in their grace. */
export const holdsAtOrAfter = (t: BookingsTable, at: SqlInstant): SQL =>
  sql`(${t.status} <> 'cancelled' AND ${t.graceUntilMs} > ${at} AND (${t.status} = 'booked' OR ${t.graceUntilMs} > ${t.endMs}))`;

/** SQL: rows of `t` whose hold meets a stay from `startMs` held until `holdEndMs` (any slot: add the slot test). */
export const holdMeets = (t: BookingsTable, startMs: SqlInstant, holdEndMs: SqlInstant): SQL =>
  sql`(${holdsAtOrAfter(t, startMs)} AND ${holdStartOf(t)} < ${holdEndMs})`;

/**
 * SQL: rows of `t` whose hold clashes with a stay of `slotId` from `startMs` held until
 * `holdEndMs`, other than `selfId` and the booking `renewedFromId` it renews (or that renews it).
 */
export const clashesWith = (
  t: BookingsTable,
  stay: {
    slotId: SqlInstant;
    startMs: SqlInstant;
    holdEndMs: SqlInstant;
    selfId: SqlInstant;
    renewedFromId: SqlInstant;
  },
): SQL =>
  sql`(${t.slotId} = ${stay.slotId} AND ${holdMeets(t, stay.startMs, stay.holdEndMs)} AND ${t.id} <> ${stay.selfId}
    AND ${t.id} IS NOT ${stay.renewedFromId} AND (${t.renewedFromId} IS NULL OR ${t.renewedFromId} <> ${stay.selfId}))`;

/** SQL: booked rows of `t` whose booked time [start, end) overlaps [startMs, endMs) (one vehicle, one booking at a time). */
export const bookedOverlapping = (t: BookingsTable, startMs: SqlInstant, endMs: SqlInstant): SQL =>
  sql`(${t.status} = 'booked' AND ${t.startMs} < ${endMs} AND ${t.endMs} > ${startMs})`;

/** SQL: rows of `t` running at `now`: active and already started. */
export const runningAt = (t: BookingsTable, now: SqlInstant): SQL => sql`(${activeAt(t, now)} AND ${t.startMs} <= ${now})`;

/** SQL: rows of `t` booked to start after `now` (Advance bookings yet to come). */
export const upcomingAt = (t: BookingsTable, now: SqlInstant): SQL => sql`(${activeAt(t, now)} AND ${t.startMs} > ${now})`;

const renewal = alias(bookings, 'renewal');

/** SQL: the id of the booking that renewed the row `t` (NULL: not renewed). */
export const renewedToIdOf = (t: BookingsTable): SQL<number | null> =>
  sql<number | null>`(SELECT ${renewal.id} FROM ${bookings} ${renewal} WHERE ${renewal.renewedFromId} = ${t.id})`;

/** SQL: rows of `t` ended by `now` whose grace still holds the slot for their driver (not renewed). */
export const inGraceAt = (t: BookingsTable, now: SqlInstant): SQL =>
  sql`(${holdsAtOrAfter(t, now)} AND ${t.endMs} <= ${now}
    AND NOT EXISTS (SELECT 1 FROM ${bookings} ${renewal} WHERE ${renewal.renewedFromId} = ${t.id}))`;

/**
 * "Free for an Instant booking now": no hold meets the stay an Instant booking of the lot's
 * default length (`minutes`, plus the tariff's `graceMinutes`) would have from `now`. These are
 * the rows of `t` that block it; the slot is free when there are none, it is enabled, and no
 * other driver's slot hold is live (isFreeForInstant).
 */
export const blocksInstantAt = (t: BookingsTable, now: SqlInstant, minutes: SqlInstant, graceMinutes: SqlInstant): SQL =>
  holdMeets(t, now, sql`${now} + (${minutes} + ${graceMinutes}) * 60000`);

const blocker = alias(bookings, 'blocker');

/**
 * SQL: "free for an Instant booking now" for slot `slotId` (enabled flag `enabled`), the same
 * rule as isFreeForInstant: enabled, no booking blocks it, no other driver's live slot hold
 * (`ownTokenHash`: the caller's own hold, or null), no satellite kiosk's lease (issue 14).
 */
export const freeForInstantAt = (
  slot: { id: SqlInstant; enabled: SqlInstant },
  now: SqlInstant,
  minutes: SqlInstant,
  graceMinutes: SqlInstant,
  ownTokenHash: SqlInstant | null,
): SQL =>
  sql`(${slot.enabled} = 1
    AND NOT EXISTS (SELECT 1 FROM ${bookings} ${blocker} WHERE ${blocker.slotId} = ${slot.id} AND ${blocksInstantAt(blocker, now, minutes, graceMinutes)})
    AND ${heldUntilOf(slot.id, now, ownTokenHash)} IS NULL
    AND NOT ${leaseBlocksAt(slot.id, now)})`;

/** The JS side of "free for an Instant booking now", from a slot's blocking facts (freeForInstantAt in SQL). */
export const isFreeForInstant = (slot: { enabled: boolean; blockingUntil: number | null; slotHeldUntil: number | null; leased: boolean }): boolean =>
  slot.enabled && slot.blockingUntil === null && slot.slotHeldUntil === null && !slot.leased;

/**
 * SQL: when a row of `t` stopped taking up its slot for occupancy: its end, or for a cancelled
 * booking the moment it was cancelled (it held the slot until then), never after its end.
 */
export const occupiedEndOf = (t: BookingsTable): SQL =>
  sql`(CASE WHEN ${t.status} = 'cancelled' THEN min(${t.endMs}, coalesce(${t.cancelledAt}, ${t.endMs})) ELSE ${t.endMs} END)`;

/** SQL: rows of `t` that count as sold (revenue): every booking not cancelled. */
export const soldOf = (t: BookingsTable): SQL => sql`(${t.status} <> 'cancelled')`;

/** The flat rate (a lot with no saved tariff): one booking of the lot's length on the slot. */
export const flatPrice = (hourlyPrice: number, bookingMinutes: number): number => Math.round((hourlyPrice * bookingMinutes) / 60);

/** Whether a booking's grace hold applies at `now`: ended, not cancelled, not renewed, before its hold end. */
export function graceEndsAt(status: BookingStatus, endMs: number, graceUntilMs: number, renewedToId: number | null, now: number): number | null {
  if (status === 'cancelled' || renewedToId !== null || graceUntilMs <= endMs) return null;
  if (status === 'completed' && now >= graceUntilMs) return null;
  return graceUntilMs;
}
