import type pg from 'pg';
import { centralDb, type CentralDb } from '../db/client';
import { documentsAfter, insertNextDocument } from '../store/documents';
import { acknowledgeVersion, lockLot } from '../store/lots';

export interface PulledDocument {
  version: number;
  kind: 'tariff';
  localLotId: number;
  document: unknown;
  /** ms since the epoch */
  effectiveFrom: number;
}

/**
 * Publishes one tariff to each chosen lot as that lot's next document version (one
 * transaction: every chosen lot gets it, or none). Returns the version per lot. Takes the
 * central database, or the bare pool under it (tests, scripts).
 */
export async function publishTariff(
  store: CentralDb | pg.Pool,
  input: { lotIds: string[]; localLotId?: number; document: unknown; effectiveFrom: number; by: string },
): Promise<Record<string, number>> {
  return centralDb(store).transaction(async (tx) => {
    const versions: Record<string, number> = {};
    for (const lotId of input.lotIds) {
      // The lot row lock serializes publishers; versions of one lot are 1, 2, 3, …
      if (!(await lockLot(tx, lotId))) throw new Error(`No lot ${lotId} has reported to this server yet.`);
      versions[lotId] = await insertNextDocument(tx, {
        lotId,
        kind: 'tariff',
        localLotId: input.localLotId ?? 1,
        document: input.document,
        effectiveFrom: new Date(input.effectiveFrom),
        createdBy: input.by,
      });
    }
    return versions;
  });
}

/** What the lot has not seen yet; asking "since N" also acknowledges N. */
export async function pullDocuments(db: CentralDb, lotId: string, sinceVersion: number): Promise<PulledDocument[]> {
  await acknowledge(db, lotId, sinceVersion);
  return (await documentsAfter(db, lotId, sinceVersion)).map((row) => ({
    version: row.version,
    kind: row.kind,
    localLotId: row.localLotId,
    document: row.document,
    effectiveFrom: row.effectiveFrom.getTime(),
  }));
}

export async function acknowledge(db: CentralDb, lotId: string, version: number): Promise<void> {
  await acknowledgeVersion(db, lotId, version);
}
