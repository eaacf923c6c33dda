import type { DocumentKind } from '../../../shared/vocabulary';
import type { AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { saveLotTariff } from '../pricing/tariff-admin';
import { storageRefusesWrites } from '../shared/sqlite-errors';
import { runInTransaction } from '../shared/unit-of-work';
import { applySlotMap } from '../slots/documents';
import { updateLotSettings } from '../slots/lot-settings';
import { describeIssues, DOCUMENT_SCHEMAS, isDocumentKind, type DocumentBody } from './document-schemas';
import type { OutboxStore } from './store';

/** The actor central changes are applied as, in the lot's audit log and tariff history. */
export const CENTRAL_ACTOR = { staffId: null, name: 'central' } as const;

/** How each kind of document is applied: through the core's own rule for what it sets. */
const APPLIERS: { [K in DocumentKind]: (core: KioskCore, actor: AuditActor, localLotId: number, doc: DocumentBody<K>) => Record<string, unknown> } = {
  tariff: (core, actor, lotId, doc) => ({ tariffVersion: saveLotTariff(core, actor, lotId, doc).version }),
  slot_map: (core, actor, lotId, doc) => ({ slotMap: applySlotMap(core, actor, lotId, doc) }),
  lot_settings: (core, actor, lotId, doc) => ({ settings: updateLotSettings(core, actor, lotId, doc) }),
};

/**
 * When the next received document takes effect, kept in memory so that the check every write
 * makes (kiosk-core's beforeWork) is one comparison. `stale` asks for it to be read again once
 * the outermost transaction has ended: after documents arrived, or after an apply (which a
 * rolled-back transaction undoes, leaving the document pending again).
 */
export interface PendingDocuments {
  at: number | null;
  stale: boolean;
  applying: boolean;
  /** Documents applied since start, committed or not (applyDueDocuments counts with it). */
  applied: number;
}

export const createPendingDocuments = (outbox: OutboxStore): PendingDocuments => ({
  at: outbox.nextPendingAt(),
  stale: false,
  applying: false,
  applied: 0,
});

/**
 * Applies every received document whose effective_from has come, in version order, inside the
 * write transaction that is starting: the first write at or after a document's effective time
 * (a booking, or the expiry timer, which also wakes for it) already works under it, so a
 * booking made after a tariff's effective_from carries that tariff. Each document goes
 * through the core's own rule for what it sets (APPLIERS): central wins for what it names;
 * the lot's own earlier edits stay in its history (tariff versions, audit log) and were sent
 * up before the pull (electron/sync/worker.ts). Each document applies whole or not at all (a
 * savepoint); one the lot cannot accept (invalid, unknown kind or lot, refused by a rule) is
 * marked applied with the reason, never retried forever.
 */
export function applyDueDocumentsAt(core: KioskCore, now: number): void {
  const pending = core.pendingDocuments;
  if (pending.applying || pending.at === null || now < pending.at) return;
  pending.applying = true;
  pending.stale = true;
  try {
    for (const doc of core.outbox.dueAt(now)) {
      core.outbox.markApplied(doc.version, now, JSON.stringify(applyOne(core, doc)));
      pending.applied += 1;
    }
  } finally {
    pending.applying = false;
  }
}

/** After every write: read the next pending time again once the outermost transaction has ended. */
export function refreshPendingDocuments(core: KioskCore): void {
  const pending = core.pendingDocuments;
  if (!pending.stale || core.db.sqlite.inTransaction) return;
  pending.stale = false;
  pending.at = core.outbox.nextPendingAt();
}

function applyOne(core: KioskCore, doc: { kind: string; localLotId: number; document: string }): Record<string, unknown> {
  const kind = doc.kind;
  if (!isDocumentKind(kind)) return { refused: `unknown kind ${kind}` };
  const parsed = DOCUMENT_SCHEMAS[kind].safeParse(JSON.parse(doc.document));
  if (!parsed.success) return { refused: describeIssues(parsed.error) };
  const apply = APPLIERS[kind] as (core: KioskCore, actor: AuditActor, localLotId: number, doc: unknown) => Record<string, unknown>;
  try {
    // Nested: a savepoint, so a document refused halfway leaves nothing of itself behind.
    return runInTransaction(core, () => apply(core, CENTRAL_ACTOR, doc.localLotId, parsed.data));
  } catch (error) {
    // A disk that refuses writes is a passing fault, not this document's: the write fails and
    // the document stays pending for the next one.
    if (storageRefusesWrites(error)) throw error;
    return { refused: (error as Error).message };
  }
}
