import { and, asc, desc, eq, gt, max, sql } from 'drizzle-orm';
import type { DocumentKind } from '../../shared/vocabulary';
import type { Executor } from '../db/client';
import { documents, lotTariffs } from '../db/schema';
import { eventBatch, msToTimestamp } from './batch';

/**
 * Versioned documents: those authored centrally for a lot (`documents`, numbered 1, 2, 3, … per
 * lot) and every tariff version a lot reported saving (`lot_tariffs`). The only module that
 * queries them.
 */

export type CentralDocument = typeof documents.$inferSelect;
export type LotTariff = typeof lotTariffs.$inferSelect;

/** The lot's next document version; call with the lot's row locked (lots store, lockLot) so publishers serialize. */
export async function insertNextDocument(
  tx: Executor,
  doc: { lotId: string; kind: DocumentKind; localLotId: number; document: unknown; effectiveFrom: Date; createdBy: string },
): Promise<number> {
  const [{ latest } = { latest: null }] = await tx
    .select({ latest: max(documents.version) })
    .from(documents)
    .where(eq(documents.lotId, doc.lotId));
  const [row] = await tx
    .insert(documents)
    .values({ ...doc, version: (latest ?? 0) + 1 })
    .returning({ version: documents.version });
  return row!.version;
}

export async function documentsAfter(db: Executor, lotId: string, sinceVersion: number, limit = 100): Promise<CentralDocument[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.lotId, lotId), gt(documents.version, sinceVersion)))
    .orderBy(asc(documents.version))
    .limit(limit);
}

/** The newest version published to each lot (lots with none are absent). */
export async function latestVersions(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ lotId: documents.lotId, version: max(documents.version) })
    .from(documents)
    .groupBy(documents.lotId);
  return new Map(rows.map((row) => [row.lotId, row.version ?? 0]));
}

/** The batch's tariff.saved events: the lot's tariff history (each version once). */
export async function insertLotTariffsFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`INSERT INTO ${lotTariffs} (lot_id, local_lot_id, version, document, created_at, created_by)
SELECT ${lotId}::uuid, (p->>'lotId')::int, (p->>'version')::int, p->'document', ${msToTimestamp('createdAt')}, p->>'createdBy'
  FROM (SELECT payload AS p FROM ${eventBatch(batchJson)} WHERE kind = 'tariff.saved') x
ON CONFLICT DO NOTHING`);
}

/** The batch's document.applied events: when each document applied at the lot, and its outcome. */
export async function recordOutcomesFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`UPDATE ${documents} AS d SET applied_at = ${msToTimestamp('appliedAt')}, outcome = p->'outcome'
  FROM (SELECT payload AS p FROM ${eventBatch(batchJson)} WHERE kind = 'document.applied') x
 WHERE d.lot_id = ${lotId}::uuid AND d.version = (p->>'version')::int`);
}

export interface DocumentStatus {
  lotId: string;
  version: number;
  kind: DocumentKind;
  effectiveFrom: Date;
  createdAt: Date;
  createdBy: string;
  appliedAt: Date | null;
  /** Why the lot refused it, or null (applied, or not yet). */
  refused: string | null;
}

/** The newest documents across lots with what became of them, newest first. */
export async function recentDocuments(db: Executor, limit = 50): Promise<DocumentStatus[]> {
  return db
    .select({
      lotId: documents.lotId,
      version: documents.version,
      kind: documents.kind,
      effectiveFrom: documents.effectiveFrom,
      createdAt: documents.createdAt,
      createdBy: documents.createdBy,
      appliedAt: documents.appliedAt,
      refused: sql<string | null>`${documents.outcome}->>'refused'`,
    })
    .from(documents)
    .orderBy(desc(documents.createdAt), asc(documents.lotId), desc(documents.version))
    .limit(limit);
}

/** Documents each lot refused (lots with none are absent). */
export async function refusedCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ lotId: documents.lotId, n: sql<number>`count(*)::int` })
    .from(documents)
    .where(sql`${documents.outcome} ? 'refused'`)
    .groupBy(documents.lotId);
  return new Map(rows.map((row) => [row.lotId, row.n]));
}
