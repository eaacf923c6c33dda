import type { DocumentKind } from '../../shared/vocabulary';
import type { KioskCore } from '../core/kiosk-core';
import { runInTransaction, runRead } from '../core/shared/unit-of-work';

/** A document as the central server hands it down (central/sync/documents.ts). */
export interface CentralDocument {
  version: number;
  /** A kind this lot does not know (a newer central) is kept and refused with the reason. */
  kind: DocumentKind | (string & {});
  localLotId: number;
  document?: unknown;
  effectiveFrom: number;
}

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
    core.pendingDocuments.stale = true;
  });
  // The expiry timer also wakes at the next document's effective time (kiosk-core.ts).
  core.expiry.reschedule();
}

/**
 * Applies the received documents that have come due now (electron/core/outbox/documents.ts
 * does it at the start of every write; this runs an empty write). How many were applied.
 */
export function applyDueDocuments(core: KioskCore): number {
  const before = core.pendingDocuments.applied;
  runInTransaction(core, () => undefined);
  return core.pendingDocuments.applied - before;
}
