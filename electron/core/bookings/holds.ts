/**
 * The grace hold, the one overlap rule (docs/tariffs.md, "Grace"): a booking that is not
 * cancelled holds its slot from its start until `grace_until_ms` (its end plus the grace of its
 * tariff version), completed or not. Two holds on one slot may not meet. The exception is a
 * renewal's own chain: a renewal starts inside the hold of the booking it renews.
 *
 * The same rule is the trigger in db/migrations/0004_grace_hold.sql; the core checks it first
 * so a clash gets a typed reason, the trigger is the last line of defence.
 */

/**
 * SQL: rows of `t` whose hold meets a stay of slot `@slotId` from `@startMs` held until
 * `@holdEndMs`, other than `@selfId` and the booking `@renewedFromId` it renews (or that renews it).
 */
export const clashSql = (t: string): string =>
  `(${t}.slot_id = @slotId AND ${t}.status <> 'cancelled' AND ${t}.id <> @selfId
    AND ${t}.start_ms < @holdEndMs AND ${t}.grace_until_ms > @startMs
    AND ${t}.id IS NOT @renewedFromId AND (${t}.renewed_from_id IS NULL OR ${t}.renewed_from_id <> @selfId))`;

/** SQL: rows of `t` holding their slot at `@now` or later (running, yet to start, or in their grace). */
export const heldSql = (t: string): string => `(${t}.status <> 'cancelled' AND ${t}.grace_until_ms > @now)`;

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
