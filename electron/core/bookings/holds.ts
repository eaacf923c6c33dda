/**
 * The grace hold, the one overlap rule (docs/tariffs.md, "Grace"): a booked booking holds its
 * slot from its start until `grace_until_ms` (its end plus the grace of its tariff version); a
 * completed one still holds [end, grace_until_ms), its grace; a cancelled one holds nothing.
 * Two holds on one slot may not meet. The exception is a renewal's own chain: a renewal starts
 * inside the hold of the booking it renews. Flat-rate bookings (no saved tariff) have no grace
 * (grace_until_ms = end_ms), which is exactly the rule before tariffs.
 *
 * The same rule is the trigger in db/migrations/0004_grace_hold.sql; the core checks it first
 * so a clash gets a typed reason, the trigger is the last line of defence.
 */

/**
 * SQL: rows of `t` whose hold meets a stay of slot `@slotId` from `@startMs` held until
 * `@holdEndMs`, other than `@selfId` and the booking `@renewedFromId` it renews (or that renews it).
 */
export const clashSql = (t: string): string =>
  `(${t}.slot_id = @slotId AND ${heldSql(t, '@startMs')} AND ${t}.id <> @selfId
    AND ${holdStartSql(t)} < @holdEndMs
    AND ${t}.id IS NOT @renewedFromId AND (${t}.renewed_from_id IS NULL OR ${t}.renewed_from_id <> @selfId))`;

/** SQL: where the hold of a row of `t` begins: its start while booked, its end once completed (the grace). */
export const holdStartSql = (t: string): string => `(CASE WHEN ${t}.status = 'booked' THEN ${t}.start_ms ELSE ${t}.end_ms END)`;

/** SQL: rows of `t` holding their slot at `at` (default `@now`) or later: running, yet to start, or in their grace. */
export const heldSql = (t: string, at = '@now'): string =>
  `(${t}.status <> 'cancelled' AND ${t}.grace_until_ms > ${at} AND (${t}.status = 'booked' OR ${t}.grace_until_ms > ${t}.end_ms))`;

/** Whether a booking's grace hold applies at `now`: ended, not cancelled, not renewed, before its hold end. */
export function graceEndsAt(
  status: 'booked' | 'completed' | 'cancelled',
  endMs: number,
  graceUntilMs: number,
  renewedToId: number | null,
  now: number,
): number | null {
  if (status === 'cancelled' || renewedToId !== null || graceUntilMs <= endMs) return null;
  if (status === 'completed' && now >= graceUntilMs) return null;
  return graceUntilMs;
}
