import type { KioskCore } from '../core/kiosk-core';
import { runInTransaction, runRead } from '../core/shared/unit-of-work';

/** One outbox row as it goes over the wire (central/sync/schemas.ts: wireEvent). */
export interface OutboxEvent {
  seq: number;
  eventId: string;
  kind: string;
  entity: string;
  payload: Record<string, unknown>;
  occurredAt: number;
}

/** The installation's global id, made by the outbox migration on first start. */
export function lotGlobalId(core: KioskCore): string {
  const value = core.settings.get('sync.lot_id');
  if (value === undefined) throw new Error('The database has no sync.lot_id (outbox migration missing).');
  return value;
}

/** Events from `fromSeq` on, in sequence order (sent or not: after a refusal the worker resends from where central asks). */
export function readEvents(core: KioskCore, fromSeq: number, limit: number): OutboxEvent[] {
  return runRead(core, () => core.outbox.eventsFrom(fromSeq, limit).map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> })));
}

/** The first sequence not yet confirmed by the central server (max + 1 when all are). */
export function firstUnsentSeq(core: KioskCore): number {
  return runRead(core, () => {
    return core.outbox.firstUnsentSeq() ?? core.outbox.lastSeq() + 1;
  });
}

/** Marks everything up to `lastSeq` sent: only ever called with the sequence central confirmed it holds. */
export function markSent(core: KioskCore, lastSeq: number): number {
  return runInTransaction(core, (tx) => core.outbox.markSent(lastSeq, tx.now));
}

export interface OutboxStats {
  unsent: number;
  oldestUnsentAt: number | null;
  lastSeq: number;
}

export function outboxStats(core: KioskCore): OutboxStats {
  return runRead(core, () => {
    const unsent = core.outbox.unsent();
    return { unsent: unsent.count, oldestUnsentAt: unsent.oldestAt, lastSeq: core.outbox.lastSeq() };
  });
}
