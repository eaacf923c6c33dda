import { saveLotTariff } from '../core/pricing/tariff-admin';
import type { KioskCore } from '../core/kiosk-core';
import { runInTransaction, runRead } from '../core/shared/unit-of-work';
import { tariffDocument } from '../core/tariffs/model';

/** A document as the central server hands it down (central/sync/documents.ts). */
export interface CentralDocument {
  version: number;
  kind: 'tariff';
  localLotId: number;
  document?: unknown;
  effectiveFrom: number;
}

/** The actor central changes are applied as, in the lot's audit log and tariff history. */
export const CENTRAL_ACTOR = { staffId: null, name: 'central' } as const;

export function lastVersionReceived(core: KioskCore): number {
  return runRead(core, () => core.outbox.lastVersionReceived());
}

export function lastVersionApplied(core: KioskCore): number {
  return runRead(core, () => core.outbox.lastVersionApplied());
}

/** Keeps what was pulled (once per version), to apply when its effective_from has come. */
export function storeDocuments(core: KioskCore, documents: CentralDocument[]): void {
  if (!documents.length) return;
  runInTransaction(core, (tx) => {
    for (const doc of documents) {
      core.outbox.receive({
        version: doc.version,
        kind: doc.kind,
        localLotId: doc.localLotId,
        document: JSON.stringify(doc.document ?? null),
        effectiveFrom: doc.effectiveFrom,
        receivedAt: tx.now,
      });
    }
  });
}

/**
 * Applies every received document whose effective_from has come, in version order, in ONE
 * SQLite transaction, through the core's own rule (saveLotTariff): central wins for tariffs
 * by becoming the newest version; the lot's own earlier versions stay in its history (tariff
 * versions are append-only) and were pushed up before this pull (worker.ts). A document the
 * lot cannot accept (invalid, unknown lot) is marked applied with the reason, never retried forever.
 */
export function applyDueDocuments(core: KioskCore): number {
  return runInTransaction(core, (tx) => {
    const due = core.outbox.dueAt(tx.now);
    for (const doc of due) {
      let outcome: Record<string, unknown>;
      const parsed = doc.kind === 'tariff' ? tariffDocument.safeParse(JSON.parse(doc.document)) : null;
      if (!parsed) outcome = { refused: `unknown kind ${doc.kind}` };
      else if (!parsed.success) outcome = { refused: parsed.error.issues.map((issue) => issue.message).join('; ') };
      else {
        try {
          outcome = { tariffVersion: saveLotTariff(core, CENTRAL_ACTOR, doc.localLotId, parsed.data).version };
        } catch (error) {
          outcome = { refused: (error as Error).message };
        }
      }
      core.outbox.markApplied(doc.version, tx.now, JSON.stringify(outcome));
    }
    return due.length;
  });
}
