import type { Pool } from 'pg';
import { deriveFromEvents } from './derive';
import type { PushInput, WireEvent } from './schemas';

export interface PushResult {
  /** The highest sequence the central store holds for this lot (confirmed: the lot may mark up to it sent). */
  lastSeq: number;
  /** New events stored by this push. */
  stored: number;
  /** Events of the batch the store already had (a retry). */
  duplicates: number;
  /** Set when the batch did not start at lastSeq + 1 (or skipped inside): the sequence to send next. */
  need: number | null;
  alarms: number;
}

/**
 * Stores a lot's batch in ONE PostgreSQL transaction: the events (ON CONFLICT (event_id) DO
 * NOTHING, so a retried batch is harmless) and the per-lot tables derived from them. The lot's
 * row is locked first, so two pushes of one lot (a retry racing a slow original) serialize.
 * A batch must continue the lot's sequence exactly: events after a gap are refused and the
 * answer says which sequence is needed; the lot resumes from there.
 */
export async function pushEvents(pool: Pool, lot: { lotId: string; name: string; credentialId: number }, input: PushInput): Promise<PushResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Creates the lot at its first push; either way ON CONFLICT DO UPDATE locks its row until COMMIT.
    const { rows } = await client.query<{ last_seq: string }>(
      `INSERT INTO lots (lot_id, credential_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (lot_id) DO UPDATE SET last_contact_at = now() RETURNING last_seq`,
      [lot.lotId, lot.credentialId, lot.name],
    );
    const lastSeq = Number(rows[0]!.last_seq);
    const sorted = [...input.events].sort((a, b) => a.seq - b.seq);
    const old = sorted.filter((event) => event.seq <= lastSeq);
    const fresh: WireEvent[] = [];
    let expected = lastSeq + 1;
    for (const event of sorted) {
      if (event.seq < expected) continue;
      if (event.seq !== expected) break;
      fresh.push(event);
      expected += 1;
    }
    const gap = fresh.length + old.length < sorted.length;
    let alarms = old.length ? await checkDuplicates(client, lot.lotId, old) : 0;
    let stored = 0;
    if (fresh.length) {
      const inserted = await client.query<{ seq: string }>(
        `INSERT INTO events (lot_id, seq, event_id, kind, entity, payload, occurred_at)
         SELECT $1, seq, event_id, kind, entity, payload, to_timestamp(occurred_at / 1000.0)
           FROM jsonb_to_recordset($2::jsonb) AS e(seq bigint, event_id uuid, kind text, entity text, payload jsonb, occurred_at bigint)
          ORDER BY seq
         ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
        [
          lot.lotId,
          JSON.stringify(
            fresh.map((event) => ({
              seq: event.seq,
              event_id: event.eventId,
              kind: event.kind,
              entity: event.entity,
              payload: event.payload,
              occurred_at: event.occurredAt,
            })),
          ),
        ],
      );
      const storedSeqs = new Set(inserted.rows.map((row) => Number(row.seq)));
      stored = storedSeqs.size;
      if (stored < fresh.length) {
        // An event id already stored under another lot or sequence: keep going, but say so.
        await client.query(`INSERT INTO alarms (lot_id, seq, kind, detail) VALUES ($1, $2, 'event_id_reused', '{}'::jsonb)`, [
          lot.lotId,
          fresh.find((event) => !storedSeqs.has(event.seq))!.seq,
        ]);
        alarms += 1;
      }
      alarms += await deriveFromEvents(
        client,
        lot.lotId,
        fresh.filter((event) => storedSeqs.has(event.seq)),
      );
    }
    const newLast = fresh.length ? fresh[fresh.length - 1]!.seq : lastSeq;
    await client.query(
      `UPDATE lots SET last_seq = $2, last_contact_at = now(), reported_backlog = $3,
              reported_oldest_unsent_at = CASE WHEN $4::bigint IS NULL THEN NULL ELSE to_timestamp($4::bigint / 1000.0) END
        WHERE lot_id = $1`,
      [lot.lotId, newLast, input.backlog ?? 0, input.oldestUnsentAt ?? null],
    );
    await client.query('COMMIT');
    return { lastSeq: newLast, stored, duplicates: old.length, need: gap ? newLast + 1 : null, alarms };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A resent event must be the one stored under its sequence; another id there means the lot's history diverged (e.g. restored from an old backup). */
async function checkDuplicates(client: import('pg').PoolClient, lotId: string, old: WireEvent[]): Promise<number> {
  const { rows } = await client.query<{ seq: string; event_id: string }>('SELECT seq, event_id FROM events WHERE lot_id = $1 AND seq = ANY($2::bigint[])', [
    lotId,
    old.map((event) => event.seq),
  ]);
  const stored = new Map(rows.map((row) => [Number(row.seq), row.event_id]));
  const diverged = old.filter((event) => stored.get(event.seq) !== event.eventId.toLowerCase());
  if (!diverged.length) return 0;
  await client.query(`INSERT INTO alarms (lot_id, seq, kind, detail) VALUES ($1, $2, 'sequence_diverged', $3::jsonb)`, [
    lotId,
    diverged[0]!.seq,
    JSON.stringify({ count: diverged.length, firstEventId: diverged[0]!.eventId }),
  ]);
  return 1;
}
