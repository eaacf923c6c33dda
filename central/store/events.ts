import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { alarms, events } from '../db/schema';
import type { WireEvent } from '../sync/schemas';

/** The event log and the alarms about it: the only module that queries `events` and `alarms`. */

export type StoredEvent = typeof events.$inferSelect;
export type Alarm = typeof alarms.$inferSelect;

/**
 * Inserts a run of new events (ON CONFLICT (event_id) DO NOTHING: an id stored before is
 * skipped, not an error); returns the sequences actually stored. The run goes to PostgreSQL as
 * one JSON parameter read by jsonb_to_recordset (drizzle's insert … select), not as a VALUES
 * list of seven parameters per event: a 500-event batch is one small statement to parse.
 */
export async function insertEvents(tx: Executor, lotId: string, fresh: WireEvent[]): Promise<Set<number>> {
  if (!fresh.length) return new Set();
  const batch = JSON.stringify(
    fresh.map((event) => ({
      seq: event.seq,
      event_id: event.eventId,
      kind: event.kind,
      entity: event.entity,
      payload: event.payload,
      occurred_at: event.occurredAt,
    })),
  );
  // drizzle lists every column of `events` in schema order: the select yields them in that order.
  const inserted = await tx
    .insert(events)
    .select(
      sql`SELECT ${lotId}::uuid, seq, event_id, kind, entity, payload, to_timestamp(occurred_at / 1000.0), now()
            FROM jsonb_to_recordset(${batch}::jsonb) AS e(seq bigint, event_id uuid, kind text, entity text, payload jsonb, occurred_at bigint)
           ORDER BY seq`,
    )
    .onConflictDoNothing({ target: events.eventId })
    .returning({ seq: events.seq });
  return new Set(inserted.map((row) => row.seq));
}

/** The event id stored under each of `seqs` of one lot. */
export async function eventIdsAt(tx: Executor, lotId: string, seqs: number[]): Promise<Map<number, string>> {
  if (!seqs.length) return new Map();
  const rows = await tx
    .select({ seq: events.seq, eventId: events.eventId })
    .from(events)
    .where(and(eq(events.lotId, lotId), inArray(events.seq, seqs)));
  return new Map(rows.map((row) => [row.seq, row.eventId]));
}

/** Whether the lot has an alarm of `kind` from the last `withinMs` (by the database's clock, which stamps alarms). */
export async function hasAlarmWithin(tx: Executor, lotId: string, kind: string, withinMs: number): Promise<boolean> {
  const [row] = await tx
    .select({ n: count() })
    .from(alarms)
    .where(and(eq(alarms.lotId, lotId), eq(alarms.kind, kind), gte(alarms.at, sql`now() - make_interval(secs => ${withinMs / 1000})`)));
  return (row?.n ?? 0) > 0;
}

export async function recordAlarm(tx: Executor, alarm: { lotId: string; seq: number | null; kind: string; detail: unknown }): Promise<void> {
  await tx.insert(alarms).values({ lotId: alarm.lotId, seq: alarm.seq, kind: alarm.kind, detail: alarm.detail });
}

/** How many alarms each lot has (lots without any are absent). */
export async function alarmCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db.select({ lotId: alarms.lotId, n: count() }).from(alarms).groupBy(alarms.lotId);
  return new Map(rows.map((row) => [row.lotId, row.n]));
}
