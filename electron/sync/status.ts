import type { KioskCore } from '../core/kiosk-core';
import { runRead } from '../core/shared/unit-of-work';
import { lastVersionApplied, lastVersionReceived } from './documents';
import { lotGlobalId, outboxStats } from './outbox';
import { syncWorkerOf } from './registry';

export interface SyncStatus {
  /** Whether this hub syncs with a central server at all (single-lot kiosks: false). */
  configured: boolean;
  lotId: string;
  /** The last exchange with the central server succeeded. */
  linkUp: boolean;
  lastContactAt: string | null;
  /** A short, technical description of the last failure (for the log line on the card). */
  lastError: string | null;
  unsent: number;
  oldestUnsentAt: string | null;
  /** now - oldest unsent event, ms; null when nothing waits. */
  oldestUnsentAgeMs: number | null;
  lastVersionReceived: number;
  lastVersionApplied: number;
  /** When the newest applied central document was applied. */
  lastAppliedAt: string | null;
  /** The newest documents from the central office and what became of each here (the reason of a refusal is on the central console). */
  documents: { version: number; kind: string; effectiveFrom: string; appliedAt: string | null; state: 'waiting' | 'applied' | 'refused' }[];
  /** The last time the lot's newer events were renumbered after a restore from an older backup (SyncWorker). */
  lastRenumber: { at: string; fromSeq: number; toSeq: number; events: number; restored: number; conflicts: number } | null;
}

const RECENT_DOCUMENTS = 5;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function syncStatus(core: KioskCore): SyncStatus {
  const worker = syncWorkerOf(core);
  const stats = outboxStats(core);
  const now = core.clock.now();
  const appliedAt = runRead(core, () => core.outbox.lastAppliedAt());
  const documents = runRead(core, () => core.outbox.recentDocuments(RECENT_DOCUMENTS));
  return {
    configured: worker !== undefined,
    lotId: lotGlobalId(core),
    linkUp: worker?.state.linkUp ?? false,
    lastContactAt: iso(worker?.state.lastContactAt ?? null),
    lastError: worker?.state.lastError ?? null,
    unsent: stats.unsent,
    oldestUnsentAt: iso(stats.oldestUnsentAt),
    oldestUnsentAgeMs: stats.oldestUnsentAt === null ? null : Math.max(0, now - stats.oldestUnsentAt),
    lastVersionReceived: lastVersionReceived(core),
    lastVersionApplied: lastVersionApplied(core),
    lastAppliedAt: iso(appliedAt),
    documents: documents.map((doc) => ({
      version: doc.version,
      kind: doc.kind,
      effectiveFrom: iso(doc.effectiveFrom)!,
      appliedAt: iso(doc.appliedAt),
      state: doc.appliedAt === null ? 'waiting' : doc.refused ? 'refused' : 'applied',
    })),
    lastRenumber: worker?.state.lastRenumber ? { ...worker.state.lastRenumber, at: iso(worker.state.lastRenumber.at)! } : null,
  };
}
