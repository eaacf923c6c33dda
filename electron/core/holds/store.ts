import { and, count, eq, max, not, sql, type Placeholder } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { lots, slotHolds, slots } from '../../../db/schema';
import { liveHoldAt } from '../bookings/completion';

export interface HoldRow {
  id: number;
  slotId: number;
  lotId: number;
  clientKey: string;
  createdMs: number;
  renewedMs: number;
  expiresMs: number;
}

/** Longest a hold may live however often it is renewed (the table's CHECK says the same). */
export const HOLD_MAX_LIFE_MS = 10 * 60_000;

const p = sql.placeholder;
const live = (now: Placeholder) => liveHoldAt(slotHolds, now);

/** What a renewed or removed hold returns: the row, with its slot's lot. */
const RETURNING = {
  id: slotHolds.id,
  slotId: slotHolds.slotId,
  lotId: sql<number>`(SELECT ${slots.lotId} FROM ${slots} WHERE ${slots.id} = ${slotHolds.slotId})`,
  clientKey: slotHolds.clientKey,
  createdMs: slotHolds.createdMs,
  renewedMs: slotHolds.renewedMs,
  expiresMs: slotHolds.expiresMs,
};

/** Every SQL statement slot holds use, prepared once per connection. */
export function createHoldStore(orm: Orm) {
  const sweep = orm
    .delete(slotHolds)
    .where(not(live(p('now'))))
    .prepare();
  const liveOnSlot = orm
    .select({ expiresMs: max(slotHolds.expiresMs) })
    .from(slotHolds)
    .where(and(eq(slotHolds.slotId, p('slotId')), live(p('now'))))
    .prepare();
  const liveOfClient = orm
    .select({ n: count() })
    .from(slotHolds)
    .where(and(eq(slotHolds.clientKey, p('clientKey')), live(p('now'))))
    .prepare();
  const insert = orm
    .insert(slotHolds)
    .values({ slotId: p('slotId'), tokenHash: p('tokenHash'), clientKey: p('clientKey'), createdMs: p('now'), renewedMs: p('now'), expiresMs: p('expiresMs') })
    .prepare();
  const renew = orm
    .update(slotHolds)
    .set({
      renewedMs: sql`${p('now')}`,
      expiresMs: sql`min(${p('now')} + ${p('lengthMs')}, ${slotHolds.createdMs} + ${sql.raw(String(HOLD_MAX_LIFE_MS))})`,
    })
    .where(and(eq(slotHolds.tokenHash, p('tokenHash')), live(p('now')), sql`${slotHolds.createdMs} + ${sql.raw(String(HOLD_MAX_LIFE_MS))} > ${p('now')}`))
    .returning(RETURNING)
    .prepare();
  const remove = orm
    .delete(slotHolds)
    .where(eq(slotHolds.tokenHash, p('tokenHash')))
    .returning(RETURNING)
    .prepare();
  const slotForHold = orm
    .select({ id: slots.id, lotId: slots.lotId, label: slots.label, enabled: slots.enabled, holdMinutes: lots.slotHoldMinutes })
    .from(slots)
    .innerJoin(lots, eq(lots.id, slots.lotId))
    .where(eq(slots.id, p('slotId')))
    .prepare();
  const holdMinutes = orm
    .select({ minutes: lots.slotHoldMinutes })
    .from(slotHolds)
    .innerJoin(slots, eq(slots.id, slotHolds.slotId))
    .innerJoin(lots, eq(lots.id, slots.lotId))
    .where(eq(slotHolds.tokenHash, p('tokenHash')))
    .prepare();
  return {
    /** The write side of the rule: drop holds that are no longer live (reads ignore them anyway). */
    sweep: (now: number) => sweep.run({ now }).changes,
    /** When the live hold on a slot ends, or null when it has none. */
    liveUntil: (slotId: number, now: number) => liveOnSlot.get({ slotId, now })?.expiresMs ?? null,
    liveOfClient: (clientKey: string, now: number) => liveOfClient.get({ clientKey, now })?.n ?? 0,
    insert: (row: { slotId: number; tokenHash: string; clientKey: string; now: number; expiresMs: number }) => Number(insert.run(row).lastInsertRowid),
    /** Extends a live hold to now + length (capped by its lifetime); undefined when it is not live. */
    renew: (tokenHash: string, now: number, lengthMs: number) => renew.get({ tokenHash, now, lengthMs }),
    /** Deletes a hold whatever its state; the row it was, if any. */
    remove: (tokenHash: string) => remove.get({ tokenHash }),
    /** The slot a driver chose, with whether it is open and its lot's hold time. */
    slotForHold: (slotId: number) => slotForHold.get({ slotId }),
    /** The hold time of the lot a hold's slot is in; null when the hold is gone. */
    holdLengthMs: (tokenHash: string): number | null => {
      const row = holdMinutes.get({ tokenHash });
      return row ? row.minutes * 60_000 : null;
    },
  };
}

export type HoldStore = ReturnType<typeof createHoldStore>;
