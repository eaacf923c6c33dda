import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { lotCredentials, lots, sites, slots } from '../db/schema';
import { eventBatch } from './batch';

/**
 * The lots known to central: credentials, the lot rows (sequence, contact, reported backlog,
 * acknowledged version), and their sites and slots derived from events. The only module that
 * queries lot_credentials, lots, sites and slots.
 */

export type Lot = typeof lots.$inferSelect;
export type Site = typeof sites.$inferSelect;
export type Credential = typeof lotCredentials.$inferSelect;

export async function credentialByKeyHash(db: Executor, keyHash: string): Promise<Credential | null> {
  const [row] = await db.select().from(lotCredentials).where(eq(lotCredentials.keyHash, keyHash));
  return row ?? null;
}

/** Binds an unbound credential to `lotId`; answers the lot it is bound to afterwards (this one, or the one that won). */
export async function bindCredentialTo(db: Executor, credentialId: number, lotId: string): Promise<string | null> {
  const bound = await db
    .update(lotCredentials)
    .set({ lotId })
    .where(and(eq(lotCredentials.id, credentialId), isNull(lotCredentials.lotId)))
    .returning({ lotId: lotCredentials.lotId });
  if (bound.length) return bound[0]!.lotId;
  const [row] = await db.select({ lotId: lotCredentials.lotId }).from(lotCredentials).where(eq(lotCredentials.id, credentialId));
  return row?.lotId ?? null;
}

/** Idempotent for a given key hash. */
export async function insertCredential(db: Executor, name: string, keyHash: string): Promise<void> {
  await db.insert(lotCredentials).values({ name, keyHash }).onConflictDoNothing({ target: lotCredentials.keyHash });
}

/**
 * Creates the lot at its first push; either way the upsert locks its row until the
 * transaction ends (two pushes of one lot serialize). Returns the highest sequence stored.
 */
export async function lockLotForPush(tx: Executor, lot: { lotId: string; credentialId: number; name: string }): Promise<number> {
  const [row] = await tx
    .insert(lots)
    .values({ lotId: lot.lotId, credentialId: lot.credentialId, name: lot.name })
    .onConflictDoUpdate({ target: lots.lotId, set: { lastContactAt: sql`now()` } })
    .returning({ lastSeq: lots.lastSeq });
  return row!.lastSeq;
}

export async function recordPush(tx: Executor, lotId: string, report: { lastSeq: number; backlog: number; oldestUnsentAt: number | null }): Promise<void> {
  await tx
    .update(lots)
    .set({
      lastSeq: report.lastSeq,
      lastContactAt: sql`now()`,
      reportedBacklog: report.backlog,
      reportedOldestUnsentAt: report.oldestUnsentAt === null ? null : new Date(report.oldestUnsentAt),
    })
    .where(eq(lots.lotId, lotId));
}

/** SELECT … FOR UPDATE of the lot's row (serializes publishers of one lot); false when the lot is unknown. */
export async function lockLot(tx: Executor, lotId: string): Promise<boolean> {
  const rows = await tx.select({ lotId: lots.lotId }).from(lots).where(eq(lots.lotId, lotId)).for('update');
  return rows.length > 0;
}

export async function acknowledgeVersion(db: Executor, lotId: string, version: number): Promise<void> {
  await db
    .update(lots)
    .set({ ackedVersion: sql`greatest(${lots.ackedVersion}, ${version})`, lastContactAt: sql`now()` })
    .where(eq(lots.lotId, lotId));
}

export async function listLotRows(db: Executor): Promise<Lot[]> {
  return db.select().from(lots).orderBy(asc(lots.name));
}

export interface SiteWithLot extends Site {
  lot: string;
}

/** Every site with its lot's name, in lot name then local id order. */
export async function listSites(db: Executor): Promise<SiteWithLot[]> {
  const rows = await db
    .select({ site: sites, lot: lots.name })
    .from(sites)
    .innerJoin(lots, eq(lots.lotId, sites.lotId))
    .orderBy(asc(lots.name), asc(sites.localLotId));
  return rows.map((row) => ({ ...row.site, lot: row.lot }));
}

/** Enabled, not deleted slots per site, keyed `${lotId}/${localLotId}`. */
export async function slotCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ lotId: slots.lotId, localLotId: slots.localLotId, n: sql<number>`count(*)::int` })
    .from(slots)
    .where(and(eq(slots.enabled, true), eq(slots.deleted, false)))
    .groupBy(slots.lotId, slots.localLotId);
  return new Map(rows.map((row) => [siteKey(row.lotId, row.localLotId), row.n]));
}

export const siteKey = (lotId: string, localLotId: number) => `${lotId}/${localLotId}`;

/** The batch's slot.* events: the latest snapshot per slot wins (a deleted one is kept, marked). */
export async function upsertSlotsFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`INSERT INTO ${slots} AS s (lot_id, slot_id, local_lot_id, label, vehicle_type, hourly_price, enabled, deleted, last_seq)
SELECT ${lotId}::uuid, (p->>'id')::bigint, (p->>'lotId')::int, p->>'label', p->>'vehicleType', (p->>'hourlyPrice')::bigint,
       (p->>'enabled')::boolean, kind = 'slot.deleted', seq
  FROM (SELECT DISTINCT ON ((payload->>'id')::bigint) seq, kind, payload AS p FROM ${eventBatch(batchJson)}
         WHERE kind LIKE 'slot.%' ORDER BY (payload->>'id')::bigint, seq DESC) latest
ON CONFLICT (lot_id, slot_id) DO UPDATE SET label = EXCLUDED.label, vehicle_type = EXCLUDED.vehicle_type,
  hourly_price = EXCLUDED.hourly_price, enabled = EXCLUDED.enabled, deleted = EXCLUDED.deleted, last_seq = EXCLUDED.last_seq
  WHERE s.last_seq < EXCLUDED.last_seq`);
}

/** The batch's lot.* events: the lot's own lots rows (name, currency, time zone, settings). */
export async function upsertSitesFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`INSERT INTO ${sites} AS t (lot_id, local_lot_id, name, currency, time_zone, settings, last_seq)
SELECT ${lotId}::uuid, (p->>'id')::int, p->>'name', p->>'currency', p->>'timeZone', p, seq
  FROM (SELECT DISTINCT ON ((payload->>'id')::int) seq, payload AS p FROM ${eventBatch(batchJson)}
         WHERE kind LIKE 'lot.%' ORDER BY (payload->>'id')::int, seq DESC) latest
ON CONFLICT (lot_id, local_lot_id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency,
  time_zone = EXCLUDED.time_zone, settings = EXCLUDED.settings, last_seq = EXCLUDED.last_seq
  WHERE t.last_seq < EXCLUDED.last_seq`);
}

/** A site's slots as central last heard of them (deleted ones left out), in the lot's id order. */
export async function slotsOfSite(db: Executor, lotId: string, localLotId: number) {
  return db
    .select({ label: slots.label, vehicleType: slots.vehicleType, hourlyPrice: slots.hourlyPrice, enabled: slots.enabled })
    .from(slots)
    .where(and(eq(slots.lotId, lotId), eq(slots.localLotId, localLotId), eq(slots.deleted, false)))
    .orderBy(asc(slots.slotId));
}
