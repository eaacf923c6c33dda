import type { CentralDb, CentralTx } from '../db/client';
import { eventIdsAt, hasAlarmWithin, insertEvents, recordAlarm } from '../store/events';
import { lockLotForPush, recordPush } from '../store/lots';
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
  /**
   * Set when the batch resends a sequence central holds under another event id (the lot was
   * restored from an older backup): the first such sequence. Nothing of the batch from there on
   * is stored; the lot renumbers its events from there to follow lastSeq and sends them again.
   */
  diverged: number | null;
  /**
   * 'two_installations': the stream diverged again within the hour after a renumbering, which a
   * restore does not do but two copies of one lot database sending as one lot do. Nothing is
   * stored; the router answers CONFLICT (after this transaction keeps the alarm).
   */
  refused: 'two_installations' | null;
  alarms: number;
}

/** A second divergence this soon after one is not a restore (see PushResult.refused). */
export const REPEAT_DIVERGENCE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Stores a lot's batch in ONE PostgreSQL transaction: the events (ON CONFLICT (event_id) DO
 * NOTHING, so a retried batch is harmless) and the per-lot tables derived from them. The lot's
 * row is locked first, so two pushes of one lot (a retry racing a slow original) serialize.
 * A batch must continue the lot's sequence exactly: events after a gap are refused and the
 * answer says which sequence is needed; the lot resumes from there.
 */
export async function pushEvents(db: CentralDb, lot: { lotId: string; name: string; credentialId: number }, input: PushInput): Promise<PushResult> {
  return db.transaction(async (tx) => {
    const lastSeq = await lockLotForPush(tx, lot);
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
    const diverged = old.length ? await firstDiverged(tx, lot.lotId, old) : null;
    if (diverged !== null) {
      // Storing the batch's later events now would put them beside history the lot no longer has.
      await recordPush(tx, lot.lotId, { lastSeq, backlog: input.backlog ?? 0, oldestUnsentAt: input.oldestUnsentAt ?? null });
      const repeated = await hasAlarmWithin(tx, lot.lotId, 'sequence_diverged', REPEAT_DIVERGENCE_WINDOW_MS);
      const kind = repeated ? 'two_installations' : 'sequence_diverged';
      await recordAlarm(tx, { lotId: lot.lotId, seq: diverged.seq, kind, detail: { count: diverged.count, firstEventId: diverged.eventId } });
      return {
        lastSeq,
        stored: 0,
        duplicates: 0,
        need: null,
        diverged: repeated ? null : diverged.seq,
        refused: repeated ? 'two_installations' : null,
        alarms: 1,
      };
    }
    let alarms = 0;
    let stored = 0;
    if (fresh.length) {
      const storedSeqs = await insertEvents(tx, lot.lotId, fresh);
      stored = storedSeqs.size;
      if (stored < fresh.length) {
        // An event id already stored under another lot or sequence: keep going, but say so.
        await recordAlarm(tx, { lotId: lot.lotId, seq: fresh.find((event) => !storedSeqs.has(event.seq))!.seq, kind: 'event_id_reused', detail: {} });
        alarms += 1;
      }
      alarms += await deriveFromEvents(
        tx,
        lot.lotId,
        fresh.filter((event) => storedSeqs.has(event.seq)),
      );
    }
    const newLast = fresh.length ? fresh[fresh.length - 1]!.seq : lastSeq;
    await recordPush(tx, lot.lotId, { lastSeq: newLast, backlog: input.backlog ?? 0, oldestUnsentAt: input.oldestUnsentAt ?? null });
    return { lastSeq: newLast, stored, duplicates: old.length, need: gap ? newLast + 1 : null, diverged: null, refused: null, alarms };
  });
}

/**
 * A resent event must be the one stored under its sequence; another id there means the lot's
 * history diverged (restored from an old backup, or a copy of it). Returns the first such
 * sequence, or null.
 */
async function firstDiverged(tx: CentralTx, lotId: string, old: WireEvent[]): Promise<{ seq: number; eventId: string; count: number } | null> {
  const stored = await eventIdsAt(
    tx,
    lotId,
    old.map((event) => event.seq),
  );
  const diverged = old.filter((event) => stored.get(event.seq) !== event.eventId.toLowerCase());
  if (!diverged.length) return null;
  return { seq: diverged[0]!.seq, eventId: diverged[0]!.eventId, count: diverged.length };
}
