import type pg from 'pg';
import { describeIssues, DOCUMENT_SCHEMAS } from '../../electron/core/outbox/document-schemas';
import type { DocumentKind } from '../../shared/vocabulary';
import { centralDb, type CentralDb } from '../db/client';
import { documentsAfter, insertNextDocument } from '../store/documents';
import { acknowledgeVersion, lockLot } from '../store/lots';

export interface PulledDocument {
  version: number;
  kind: DocumentKind;
  localLotId: number;
  document: unknown;
  /** ms since the epoch */
  effectiveFrom: number;
}

/** Where a document goes: a lot (its global id) and which of its hub's lots (1 for most hubs). */
export interface DocumentTarget {
  lotId: string;
  localLotId?: number;
}

export class DocumentRefused extends Error {}

/** One lot's copy of a published document: its version there. */
export interface PublishedDocument {
  lotId: string;
  localLotId: number;
  version: number;
}

/**
 * Publishes one document to each chosen lot as that lot's next document version (one
 * transaction: every chosen lot gets it, or none). The document is checked first with the
 * schema the lot will check it with again (electron/core/outbox/documents.ts). Returns the
 * version per lot. Takes the central database, or the bare pool under it (tests, scripts).
 */
export async function publishDocument<K extends DocumentKind>(
  store: CentralDb | pg.Pool,
  input: { kind: K; targets: DocumentTarget[]; document: unknown; effectiveFrom: number; by: string },
): Promise<PublishedDocument[]> {
  const parsed = DOCUMENT_SCHEMAS[input.kind].safeParse(input.document);
  if (!parsed.success) throw new DocumentRefused(describeIssues(parsed.error));
  if (!input.targets.length) throw new DocumentRefused('Choose at least one lot.');
  if (!Number.isFinite(input.effectiveFrom)) throw new DocumentRefused('Give the date and time it takes effect.');
  // Each lot once, whatever was ticked twice.
  const targets = [...new Map(input.targets.map((target) => [`${target.lotId}/${target.localLotId ?? 1}`, target])).values()];
  return centralDb(store).transaction(async (tx) => {
    const published: PublishedDocument[] = [];
    for (const target of targets) {
      // The lot row lock serializes publishers; versions of one lot are 1, 2, 3, …
      if (!(await lockLot(tx, target.lotId))) throw new DocumentRefused(`No lot ${target.lotId} has reported to this server yet.`);
      const localLotId = target.localLotId ?? 1;
      const version = await insertNextDocument(tx, {
        lotId: target.lotId,
        kind: input.kind,
        localLotId,
        document: parsed.data,
        effectiveFrom: new Date(input.effectiveFrom),
        createdBy: input.by,
      });
      published.push({ lotId: target.lotId, localLotId, version });
    }
    return published;
  });
}

/** A tariff to each chosen lot (publishDocument); the version per lot. */
export async function publishTariff(
  store: CentralDb | pg.Pool,
  input: { lotIds: string[]; localLotId?: number; document: unknown; effectiveFrom: number; by: string },
): Promise<Record<string, number>> {
  const targets = input.lotIds.map((lotId) => ({ lotId, localLotId: input.localLotId }));
  const published = await publishDocument(store, { kind: 'tariff', targets, document: input.document, effectiveFrom: input.effectiveFrom, by: input.by });
  return Object.fromEntries(published.map((copy) => [copy.lotId, copy.version]));
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
