import { runInTransaction, runRead, statement, type KioskCore } from '../core/shared/core';

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
  const row = statement(core, "SELECT value FROM settings WHERE key = 'sync.lot_id'").get() as { value: string } | undefined;
  if (!row) throw new Error('The database has no sync.lot_id (outbox migration missing).');
  return row.value;
}

/** Events from `fromSeq` on, in sequence order (sent or not: after a refusal the worker resends from where central asks). */
export function readEvents(core: KioskCore, fromSeq: number, limit: number): OutboxEvent[] {
  return runRead(core, () =>
    (
      statement(core, 'SELECT seq, event_id AS eventId, kind, entity, payload, occurred_at AS occurredAt FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?').all(
        fromSeq,
        limit,
      ) as (Omit<OutboxEvent, 'payload'> & { payload: string })[]
    ).map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> })),
  );
}

/** The first sequence not yet confirmed by the central server (max + 1 when all are). */
export function firstUnsentSeq(core: KioskCore): number {
  return runRead(core, () => {
    const row = statement(core, 'SELECT min(seq) AS seq FROM outbox WHERE sent_at IS NULL').get() as { seq: number | null };
    if (row.seq !== null) return row.seq;
    return ((statement(core, 'SELECT max(seq) AS seq FROM outbox').get() as { seq: number | null }).seq ?? 0) + 1;
  });
}

/** Marks everything up to `lastSeq` sent: only ever called with the sequence central confirmed it holds. */
export function markSent(core: KioskCore, lastSeq: number): number {
  return runInTransaction(core, (tx) => statement(core, 'UPDATE outbox SET sent_at = ? WHERE seq <= ? AND sent_at IS NULL').run(tx.now, lastSeq).changes);
}

export interface OutboxStats {
  unsent: number;
  oldestUnsentAt: number | null;
  lastSeq: number;
}

export function outboxStats(core: KioskCore): OutboxStats {
  return runRead(core, () => {
    const row = statement(
      core,
      `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS unsent,
              (SELECT min(occurred_at) FROM outbox WHERE sent_at IS NULL) AS oldest,
              (SELECT coalesce(max(seq), 0) FROM outbox) AS lastSeq`,
    ).get() as { unsent: number; oldest: number | null; lastSeq: number };
    return { unsent: row.unsent, oldestUnsentAt: row.oldest, lastSeq: row.lastSeq };
  });
}
