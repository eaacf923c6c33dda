import { and, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import { bookings, lots, satelliteReplays, slotLeases, slots } from '../../../db/schema';
import { heldUntilOf, type SqlInstant } from '../bookings/completion';
import { holdMeets } from '../bookings/rules';

const p = sql.placeholder;
const b = alias(bookings, 'b');
const other = alias(slotLeases, 'o');
const anyLease = alias(slotLeases, 'x');

/**
 * SQL: slot `slots` is free for a lease of satellite `satelliteId` from `now` until
 * `blockedUntil`: enabled, no booking's hold meets the leased time (bookings/rules.ts), no live
 * slot hold (completion.ts), no other satellite's lease still blocking it.
 */
const freeForLease = (now: SqlInstant, blockedUntil: SqlInstant, satelliteId: SqlInstant): SQL =>
  sql`(${slots.enabled} = 1
    AND NOT EXISTS (SELECT 1 FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${holdMeets(b, now, blockedUntil)})
    AND ${heldUntilOf(slots.id, now, null)} IS NULL
    AND NOT EXISTS (SELECT 1 FROM ${slotLeases} ${other} WHERE ${other.slotId} = ${slots.id} AND ${other.blockedUntil} > ${now} AND ${other.satelliteId} <> ${satelliteId}))`;

/** A slot as a lease offers it: its lot's currency, stay length and grace, its flat hourly price. */
export interface LeaseSlotRow {
  slotId: number;
  lotId: number;
  label: string;
  vehicleType: string;
  currency: string;
  bookingMinutes: number;
  /** How long past the lease's expiry (and skew) the hub keeps the slot: offlineHoldMs below. */
  offlineHoldMs: number;
  hourlyPrice: number;
}

/**
 * SQL: how long past a lease's expiry the hub keeps the slot (before the skew allowance): the stay
 * a satellite sells offline (the lot's default booking length) plus the lot's grace, so the
 * booking sold just before the lease ran out keeps, once replayed, the grace hold a hub sale has
 * (leases/replay.ts) and still ends before anyone else may book.
 */
const offlineHoldMs = sql`((${lots.bookingMinutes} + ${lots.graceMinutes}) * 60000)`;

const slotColumns = sql`${slots.id} AS slotId, ${slots.lotId} AS lotId, ${slots.label} AS label, ${slots.vehicleType} AS vehicleType,
  ${lots.currency} AS currency, ${lots.bookingMinutes} AS bookingMinutes, ${offlineHoldMs} AS offlineHoldMs, ${slots.hourlyPrice} AS hourlyPrice`;

/** The queries on slot_leases and satellite_replays (issue 14), prepared once per connection. */
export function createLeaseStore(orm: Orm) {
  const tidy = orm
    .delete(slotLeases)
    .where(lte(slotLeases.blockedUntil, p('now')))
    .prepare();
  const heldBy = prepareSql<LeaseSlotRow & { oldBlocked: number }>(
    orm,
    sql`SELECT ${slotColumns}, ${slotLeases.blockedUntil} AS oldBlocked
      FROM ${slotLeases} JOIN ${slots} ON ${slots.id} = ${slotLeases.slotId} JOIN ${lots} ON ${lots.id} = ${slots.lotId}
     WHERE ${slotLeases.satelliteId} = ${p('satelliteId')} ORDER BY ${slots.position}, ${slots.id}`,
  );
  const stillFree = prepareSql<{ one: number }>(
    orm,
    sql`SELECT 1 AS one FROM ${slots} WHERE ${slots.id} = ${p('slotId')} AND ${freeForLease(p('now'), p('blockedUntil'), p('satelliteId'))}`,
  );
  const renew = orm
    .update(slotLeases)
    .set({ expiresAt: sql`${p('expiresAt')}`, blockedUntil: sql`${p('blockedUntil')}` })
    .where(eq(slotLeases.slotId, p('slotId')))
    .prepare();
  const candidates = prepareSql<LeaseSlotRow>(
    orm,
    sql`SELECT ${slotColumns} FROM ${slots} JOIN ${lots} ON ${lots.id} = ${slots.lotId}
     WHERE NOT EXISTS (SELECT 1 FROM ${slotLeases} ${anyLease} WHERE ${anyLease.slotId} = ${slots.id})
       AND ${freeForLease(p('now'), sql`(${p('expiresAt')} + ${p('skewMs')} + ${offlineHoldMs})`, p('satelliteId'))}
     ORDER BY ${slots.position}, ${slots.id} LIMIT ${p('limit')}`,
  );
  const insert = orm
    .insert(slotLeases)
    .values({ slotId: p('slotId'), satelliteId: p('satelliteId'), grantedAt: p('now'), expiresAt: p('expiresAt'), blockedUntil: p('blockedUntil') })
    .prepare();
  const releaseAll = orm
    .delete(slotLeases)
    .where(eq(slotLeases.satelliteId, p('satelliteId')))
    .prepare();
  const blockerOf = orm
    .select({ satelliteId: slotLeases.satelliteId })
    .from(slotLeases)
    .where(and(eq(slotLeases.slotId, p('slotId')), gt(slotLeases.blockedUntil, p('now')), gt(slotLeases.blockedUntil, p('startMs'))))
    .prepare();
  const replayed = orm
    .select({ outcome: satelliteReplays.outcome })
    .from(satelliteReplays)
    .where(eq(satelliteReplays.eventId, p('eventId')))
    .prepare();
  const recordReplay = orm
    .insert(satelliteReplays)
    .values({ eventId: p('eventId'), satelliteId: p('satelliteId'), kind: p('kind'), appliedAt: p('appliedAt'), outcome: p('outcome') })
    .prepare();
  // satellites is pairing's table (electron/core/pairing/); this read moves to its store when that lands.

  return {
    /** Drops leases that no longer block anything (every rule ignores them already). */
    tidy: (now: number) => tidy.run({ now }),
    /** The slots the satellite holds a lease on, with the lease's current block end. */
    heldBy: (satelliteId: string) => heldBy.all({ satelliteId }),
    /** Whether the slot is still free for this satellite's lease until `blockedUntil`. */
    stillFree: (slotId: number, now: number, blockedUntil: number, satelliteId: string) =>
      stillFree.get({ slotId, now, blockedUntil, satelliteId }) !== undefined,
    renew: (slotId: number, expiresAt: number, blockedUntil: number) => renew.run({ slotId, expiresAt, blockedUntil }),
    /** Up to `limit` unleased slots free for a new lease, in the lot's order. */
    candidates: (args: { now: number; expiresAt: number; skewMs: number; satelliteId: string; limit: number }) => candidates.all(args),
    insert: (args: { slotId: number; satelliteId: string; now: number; expiresAt: number; blockedUntil: number }) => insert.run(args),
    releaseAll: (satelliteId: string) => releaseAll.run({ satelliteId }),
    /** The satellite whose lease blocks a booking starting at `startMs` on the slot, if any. */
    blockerOf: (slotId: number, now: number, startMs: number) => blockerOf.get({ slotId, now, startMs })?.satelliteId,
    /** What replaying this journal event did, JSON (undefined: never replayed). */
    replayOutcome: (eventId: string) => replayed.get({ eventId })?.outcome,
    recordReplay: (row: typeof satelliteReplays.$inferInsert) => recordReplay.run(row),
  };
}

export type LeaseStore = ReturnType<typeof createLeaseStore>;
