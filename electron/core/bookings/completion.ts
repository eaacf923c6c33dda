import { sql, type Column, type Placeholder, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { sqlText } from '../../../db/prepared';
import { bookings, slotHolds } from '../../../db/schema';

/**
 * The one definition of "effectively completed at now": a booking stored as `booked` whose
 * end has come (`end <= now`) is completed, whether or not its row says so yet.
 *
 * Reads apply the rule on the fly and write nothing (views, list filters, history); writes
 * store it first, inside their own BEGIN IMMEDIATE transaction (the expiry UPDATE in
 * store.ts), and the expiry timer stores it on time with nobody calling. So a read and a
 * lazy-expiring write at the same instant always agree (tests/engine/reads.property.test.ts).
 * The JS and SQL forms below are the same rule and are tested against each other.
 *
 * The SQL forms are drizzle fragments over the schema's columns (`t` is the bookings table or
 * an alias of it, `now` a placeholder or a value); the `...Sql(alias)` text forms are the same
 * fragments rendered with `@now`, for SQL written as text (tests/engine/reads.property.test.ts).
 */
export type { BookingStatus } from '../../../shared/vocabulary';
import type { BookingStatus } from '../../../shared/vocabulary';

/** The bookings table or an alias of it (`alias(bookings, 'b')`). */
export type BookingsTable = { readonly [K in keyof typeof bookings.$inferSelect]: Column };
/** The instant a SQL rule is judged at: a placeholder, a column, a value. */
export type SqlInstant = SQL | Placeholder | number | Column;

/** True when a stored booking is due to be completed at `now`. */
export const isDueAt = (status: BookingStatus, endMs: number, now: number): boolean => status === 'booked' && endMs <= now;

/** The status a booking has at `now`. */
export const statusAt = (status: BookingStatus, endMs: number, now: number): BookingStatus => (isDueAt(status, endMs, now) ? 'completed' : status);

/** SQL: rows of `t` due at `now`. */
export const dueAt = (t: BookingsTable, now: SqlInstant): SQL => sql`(${t.status} = 'booked' AND ${t.endMs} <= ${now})`;

/**
 * SQL: rows of `t` still running or yet to start at `now` (booked and not due). Availability
 * and occupancy queries use this, so a due booking frees its slot before any write stores it.
 */
export const activeAt = (t: BookingsTable, now: SqlInstant): SQL => sql`(${t.status} = 'booked' AND ${t.endMs} > ${now})`;

/** SQL: the status of rows of `t` at `now`. */
export const statusAtOf = (t: BookingsTable, now: SqlInstant): SQL => sql`(CASE WHEN ${dueAt(t, now)} THEN 'completed' ELSE ${t.status} END)`;

/**
 * SQL: rows of `t` whose status at `now` is `status`, written so SQLite picks a good index
 * for each case: the same rule as statusAtOf, split by case.
 */
export function statusIs(t: BookingsTable, status: BookingStatus, now: SqlInstant): SQL {
  if (status === 'booked') return activeAt(t, now);
  // Unary + keeps SQLite off the (status, id) index here: an OR of two index ranges would be
  // gathered and sorted whole, while nearly every booking is completed, so walking ids newest
  // first finds a page at once.
  if (status === 'completed') return sql`(+${t.status} = 'completed' OR (+${t.status} = 'booked' AND ${t.endMs} <= ${now}))`;
  return sql`(${t.status} = 'cancelled')`;
}

const NOW_PARAM = sql.raw('@now');
const named = (t: string): BookingsTable => (t === 'bookings' ? bookings : alias(bookings, t));

/** Text forms of the rules above for table (or alias) `t`, judged at the bound parameter `@now`. */
export const dueSql = (t: string): string => sqlText(dueAt(named(t), NOW_PARAM));
export const activeSql = (t: string): string => sqlText(activeAt(named(t), NOW_PARAM));
export const statusAtSql = (t: string): string => sqlText(statusAtOf(named(t), NOW_PARAM));
export const statusIsSql = (t: string, status: BookingStatus): string => sqlText(statusIs(named(t), status, NOW_PARAM));

/*
 * Slot holds (issue 13) belong to the same availability rule: a slot a driver has chosen is
 * "being booked" while their hold is live, and a hold is live exactly while its expiry is after
 * now. An expired hold is absent (no sweep needed); the triggers of migration 0005 apply the
 * same test with the writing transaction's instant as now.
 */
export type SlotHoldsTable = { readonly [K in keyof typeof slotHolds.$inferSelect]: Column };

/** True while a hold expiring at `expiresMs` still holds its slot at `now`. */
export const isHoldLiveAt = (expiresMs: number, now: number): boolean => expiresMs > now;

/** SQL: holds of `h` live at `now`. */
export const liveHoldAt = (h: SlotHoldsTable, now: SqlInstant): SQL => sql`(${h.expiresMs} > ${now})`;

const holdAlias = alias(slotHolds, 'h');

/**
 * SQL: when the live hold on slot `slotId` by someone else ends (NULL if none). The caller's
 * own hold is the one whose token hash is `ownTokenHash` (NULL for none), so a driver never
 * sees their own slot as "being booked".
 */
export const heldUntilOf = (slotId: SqlInstant, now: SqlInstant, ownTokenHash: SqlInstant | null): SQL =>
  sql`(SELECT max(${holdAlias.expiresMs}) FROM ${slotHolds} ${holdAlias} WHERE ${holdAlias.slotId} = ${slotId} AND ${liveHoldAt(holdAlias, now)} AND ${holdAlias.tokenHash} IS NOT ${ownTokenHash})`;
