import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, lte, max, min, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import { centralDocuments, outbox } from '../../../db/schema';

const p = sql.placeholder;

/**
 * The queries on the lot's outbox and the documents received from the central server
 * (issue 15; electron/sync/), prepared once per connection. Outbox rows are written by the
 * triggers of the outbox migration only; this store reads them and marks them sent.
 */
export function createOutboxStore(orm: Orm) {
  const eventsFrom = orm
    .select({ seq: outbox.seq, eventId: outbox.eventId, kind: outbox.kind, entity: outbox.entity, payload: outbox.payload, occurredAt: outbox.occurredAt })
    .from(outbox)
    .where(gte(outbox.seq, p('fromSeq')))
    .orderBy(asc(outbox.seq))
    .limit(p('limit'))
    .prepare();
  const firstUnsent = orm
    .select({ seq: min(outbox.seq) })
    .from(outbox)
    .where(isNull(outbox.sentAt))
    .prepare();
  const lastSeq = orm
    .select({ seq: sql<number>`coalesce(${max(outbox.seq)}, 0)` })
    .from(outbox)
    .prepare();
  const markSent = orm
    .update(outbox)
    .set({ sentAt: sql`${p('now')}` })
    .where(and(lte(outbox.seq, p('lastSeq')), isNull(outbox.sentAt)))
    .prepare();
  // Renumbering in two steps (through negative rowids) so no row ever meets another's sequence.
  const shiftOut = orm
    .update(outbox)
    .set({ seq: sql`-(${outbox.seq} + ${p('delta')})`, sentAt: null })
    .where(gte(outbox.seq, p('fromSeq')))
    .prepare();
  const shiftIn = orm
    .update(outbox)
    .set({ seq: sql`-${outbox.seq}` })
    .where(lt(outbox.seq, 0))
    .prepare();
  // Sent rows central has held for a while: the oldest rows up to the first one that is not (sent
  // rows are a prefix: markSent marks by sequence), at most `limit` of them. Both bounds are rowid
  // range reads, so a round with nothing to prune reads one row, not the table. Never the newest
  // row (seq is the rowid: the next event continues after the largest one left).
  const windowEnd = sql`((SELECT min(${outbox.seq}) FROM ${outbox}) + ${p('limit')})`;
  const prune = prepareSql(
    orm,
    sql`DELETE FROM ${outbox}
     WHERE ${outbox.seq} < ${windowEnd}
       AND ${outbox.seq} < coalesce((SELECT ${outbox.seq} FROM ${outbox} WHERE ${outbox.seq} < ${windowEnd}
                                        AND (${outbox.sentAt} IS NULL OR ${outbox.sentAt} >= ${p('sentBefore')}) ORDER BY ${outbox.seq} LIMIT 1), ${windowEnd})
       AND ${outbox.seq} < (SELECT max(${outbox.seq}) FROM ${outbox})`,
  );
  const firstSeq = orm
    .select({ seq: min(outbox.seq) })
    .from(outbox)
    .prepare();
  const unsent = orm
    .select({ n: count(), oldest: min(outbox.occurredAt) })
    .from(outbox)
    .where(isNull(outbox.sentAt))
    .prepare();

  const lastReceived = orm
    .select({ v: sql<number>`coalesce(${max(centralDocuments.version)}, 0)` })
    .from(centralDocuments)
    .prepare();
  const lastApplied = orm
    .select({ v: sql<number>`coalesce(${max(centralDocuments.version)}, 0)` })
    .from(centralDocuments)
    .where(isNotNull(centralDocuments.appliedAt))
    .prepare();
  const lastAppliedAt = orm
    .select({ at: max(centralDocuments.appliedAt) })
    .from(centralDocuments)
    .prepare();
  const recent = orm
    .select({
      version: centralDocuments.version,
      kind: centralDocuments.kind,
      effectiveFrom: centralDocuments.effectiveFrom,
      appliedAt: centralDocuments.appliedAt,
      refused: sql<number>`coalesce(json_extract(${centralDocuments.appliedAs}, '$.refused') IS NOT NULL, 0)`,
    })
    .from(centralDocuments)
    .orderBy(desc(centralDocuments.version))
    .limit(p('limit'))
    .prepare();
  const receive = orm
    .insert(centralDocuments)
    .values({
      version: p('version'),
      kind: p('kind'),
      localLotId: p('localLotId'),
      document: p('document'),
      effectiveFrom: p('effectiveFrom'),
      receivedAt: p('receivedAt'),
    })
    .onConflictDoNothing()
    .prepare();
  const due = orm
    .select({ version: centralDocuments.version, kind: centralDocuments.kind, localLotId: centralDocuments.localLotId, document: centralDocuments.document })
    .from(centralDocuments)
    .where(and(isNull(centralDocuments.appliedAt), lte(centralDocuments.effectiveFrom, p('now'))))
    .orderBy(asc(centralDocuments.version))
    .prepare();
  // Rowid range first: only the events from `fromSeq` on are read.
  const touchedSince = orm
    .select({ seq: outbox.seq })
    .from(outbox)
    .where(and(gte(outbox.seq, p('fromSeq')), eq(outbox.entity, p('entity'))))
    .limit(1)
    .prepare();
  const nextPending = orm
    .select({ at: min(centralDocuments.effectiveFrom) })
    .from(centralDocuments)
    .where(isNull(centralDocuments.appliedAt))
    .prepare();
  const markApplied = orm
    .update(centralDocuments)
    .set({ appliedAt: sql`${p('now')}`, appliedAs: sql`${p('appliedAs')}` })
    .where(eq(centralDocuments.version, p('version')))
    .prepare();

  return {
    /** Outbox rows from `fromSeq` on, in sequence order; payload still JSON text. */
    eventsFrom: (fromSeq: number, limit: number) => eventsFrom.all({ fromSeq, limit }),
    /** The first sequence not yet sent, or null when all are. */
    firstUnsentSeq: () => firstUnsent.get()?.seq ?? null,
    /** The newest sequence (0: the outbox is empty). */
    lastSeq: () => lastSeq.get()?.seq ?? 0,
    markSent: (lastSeq: number, now: number) => markSent.run({ lastSeq, now }).changes,
    /** Moves every row from `fromSeq` on to start at `toSeq` instead, unsent (run inside a transaction). */
    renumberFrom: (fromSeq: number, toSeq: number) => {
      const moved = shiftOut.run({ fromSeq, delta: toSeq - fromSeq }).changes;
      shiftIn.run();
      return moved;
    },
    /** Deletes up to `limit` rows sent before `sentBefore` (never the newest row); how many went. */
    prune: (sentBefore: number, limit: number) => prune.run({ sentBefore, limit }).changes,
    /** The oldest sequence still kept (null: the outbox is empty). */
    firstSeq: () => firstSeq.get()?.seq ?? null,
    /** How many rows wait to be sent and when the oldest of them happened. */
    unsent: () => {
      const row = unsent.get();
      return { count: row?.n ?? 0, oldestAt: row?.oldest ?? null };
    },
    lastVersionReceived: () => lastReceived.get()?.v ?? 0,
    lastVersionApplied: () => lastApplied.get()?.v ?? 0,
    lastAppliedAt: () => lastAppliedAt.get()?.at ?? null,
    /** The newest received documents, newest first, with whether the lot refused them. */
    recentDocuments: (limit: number) => recent.all({ limit }).map((row) => ({ ...row, refused: row.refused === 1 })),
    /** Keeps a received document once per version (a repeat changes nothing). */
    receive: (row: Omit<typeof centralDocuments.$inferInsert, 'appliedAt' | 'appliedAs'>) => receive.run(row),
    /** Received documents not applied yet whose effective_from has come, by version. */
    dueAt: (now: number) => due.all({ now }),
    /** Whether `entity` (e.g. `booking:42`) changed in an event numbered `fromSeq` or later. */
    touchedSince: (entity: string, fromSeq: number) => touchedSince.get({ entity, fromSeq }) !== undefined,
    /** When the earliest received, unapplied document takes effect (null: none waits). */
    nextPendingAt: () => nextPending.get()?.at ?? null,
    markApplied: (version: number, now: number, appliedAs: string) => markApplied.run({ version, now, appliedAs }),
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
