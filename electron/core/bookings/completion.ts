/**
 * The one definition of "effectively completed at now": a booking stored as `booked` whose
 * end has come (`end <= now`) is completed, whether or not its row says so yet.
 *
 * Reads apply the rule on the fly and write nothing (views, list filters, history); writes
 * store it first, inside their own BEGIN IMMEDIATE transaction (the expiry UPDATE in
 * store.ts), and the expiry timer stores it on time with nobody calling. So a read and a
 * lazy-expiring write at the same instant always agree (tests/engine/reads.property.test.ts).
 * The JS and SQL forms below are the same rule and are tested against each other.
 */
export type { BookingStatus } from '../../../shared/vocabulary';
import type { BookingStatus } from '../../../shared/vocabulary';

/** True when a stored booking is due to be completed at `now`. */
export const isDueAt = (status: BookingStatus, endMs: number, now: number): boolean => status === 'booked' && endMs <= now;

/** The status a booking has at `now`. */
export const statusAt = (status: BookingStatus, endMs: number, now: number): BookingStatus =>
  isDueAt(status, endMs, now) ? 'completed' : status;

/** SQL: true for rows of table (or alias) `t` that are due at the bound parameter `@now`. */
export const dueSql = (t: string): string => `(${t}.status = 'booked' AND ${t}.end_ms <= @now)`;

/**
 * SQL: rows of `t` still running or yet to start at `@now` (booked and not due). Availability
 * and occupancy queries use this, so a due booking frees its slot before any write stores it.
 */
export const activeSql = (t: string): string => `(${t}.status = 'booked' AND ${t}.end_ms > @now)`;

/** SQL: the status of rows of `t` at `@now`. */
export const statusAtSql = (t: string): string => `(CASE WHEN ${dueSql(t)} THEN 'completed' ELSE ${t}.status END)`;

/**
 * SQL: rows of `t` whose status at `@now` is `status`, written so SQLite picks a good index
 * for each case: the same rule as statusAtSql, split by case.
 */
export function statusIsSql(t: string, status: BookingStatus): string {
  if (status === 'booked') return activeSql(t);
  // Unary + keeps SQLite off the (status, id) index here: an OR of two index ranges would be
  // gathered and sorted whole, while nearly every booking is completed, so walking ids newest
  // first finds a page at once.
  if (status === 'completed') return `(+${t}.status = 'completed' OR (+${t}.status = 'booked' AND ${t}.end_ms <= @now))`;
  return `(${t}.status = 'cancelled')`;
}

/*
 * Slot holds (issue 13) belong to the same availability rule: a slot a driver has chosen is
 * "being booked" while their hold is live, and a hold is live exactly while its expiry is after
 * now. An expired hold is absent (no sweep needed); the triggers of migration 0005 apply the
 * same test with the writing transaction's instant as now.
 */

/** True while a hold expiring at `expiresMs` still holds its slot at `now`. */
export const isHoldLiveAt = (expiresMs: number, now: number): boolean => expiresMs > now;

/** SQL: holds of table (or alias) `h` that are live at `@now`. */
export const liveHoldSql = (h: string): string => `(${h}.expires_ms > @now)`;

/**
 * SQL: when the live hold on slot `slotExpr` by someone else ends (NULL if none). The caller's
 * own hold is the one whose token hash is the bound `@holdTokenHash` (NULL for none), so a
 * driver never sees their own slot as "being booked".
 */
export const heldUntilSql = (slotExpr: string): string =>
  `(SELECT max(h.expires_ms) FROM slot_holds h WHERE h.slot_id = ${slotExpr} AND ${liveHoldSql('h')} AND h.token_hash IS NOT @holdTokenHash)`;
