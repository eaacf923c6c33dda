import type Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { lots, slotHolds, slots } from '../../../db/schema';
import { liveHoldSql } from '../bookings/completion';

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

const RETURNING = `RETURNING id, slot_id AS slotId, (SELECT lot_id FROM slots WHERE id = slot_holds.slot_id) AS lotId,
  client_key AS clientKey, created_ms AS createdMs, renewed_ms AS renewedMs, expires_ms AS expiresMs`;

/** Every SQL statement slot holds use, prepared once per connection. */
export function createHoldStore(sqlite: Database.Database) {
  const sweep = sqlite.prepare<[{ now: number }]>(`DELETE FROM slot_holds WHERE NOT ${liveHoldSql('slot_holds')}`);
  const liveOnSlot = sqlite.prepare<[{ slotId: number; now: number }], { expiresMs: number }>(
    `SELECT max(expires_ms) AS expiresMs FROM slot_holds WHERE slot_id = @slotId AND ${liveHoldSql('slot_holds')}`,
  );
  const liveOfClient = sqlite.prepare<[{ clientKey: string; now: number }], { n: number }>(
    `SELECT count(*) AS n FROM slot_holds WHERE client_key = @clientKey AND ${liveHoldSql('slot_holds')}`,
  );
  const insert = sqlite.prepare<{ slotId: number; tokenHash: string; clientKey: string; now: number; expiresMs: number }>(
    `INSERT INTO slot_holds (slot_id, token_hash, client_key, created_ms, renewed_ms, expires_ms)
     VALUES (@slotId, @tokenHash, @clientKey, @now, @now, @expiresMs)`,
  );
  const renew = sqlite.prepare<{ tokenHash: string; now: number; lengthMs: number }, HoldRow>(
    `UPDATE slot_holds SET renewed_ms = @now, expires_ms = min(@now + @lengthMs, created_ms + ${HOLD_MAX_LIFE_MS})
      WHERE token_hash = @tokenHash AND ${liveHoldSql('slot_holds')} AND created_ms + ${HOLD_MAX_LIFE_MS} > @now
      ${RETURNING}`,
  );
  const remove = sqlite.prepare<{ tokenHash: string }, HoldRow>(`DELETE FROM slot_holds WHERE token_hash = @tokenHash ${RETURNING}`);
  const orm = drizzle(sqlite);
  const slotForHold = orm
    .select({ id: slots.id, lotId: slots.lotId, label: slots.label, enabled: slots.enabled, holdMinutes: lots.slotHoldMinutes })
    .from(slots)
    .innerJoin(lots, eq(lots.id, slots.lotId))
    .where(eq(slots.id, sql.placeholder('slotId')))
    .prepare();
  const holdMinutes = orm
    .select({ minutes: lots.slotHoldMinutes })
    .from(slotHolds)
    .innerJoin(slots, eq(slots.id, slotHolds.slotId))
    .innerJoin(lots, eq(lots.id, slots.lotId))
    .where(eq(slotHolds.tokenHash, sql.placeholder('tokenHash')))
    .prepare();
  return {
    /** The write side of the rule: drop holds that are no longer live (reads ignore them anyway). */
    sweep: (now: number) => sweep.run({ now }).changes,
    /** When the live hold on a slot ends, or null when it has none. */
    liveUntil: (slotId: number, now: number) => liveOnSlot.get({ slotId, now })?.expiresMs ?? null,
    liveOfClient: (clientKey: string, now: number) => liveOfClient.get({ clientKey, now })!.n,
    insert: (row: { slotId: number; tokenHash: string; clientKey: string; now: number; expiresMs: number }) =>
      Number(insert.run(row).lastInsertRowid),
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
