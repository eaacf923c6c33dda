import type { CentralTx } from '../db/client';
import { insertAuditFromBatch } from '../store/audit';
import { insertAddOnsFromBatch, isBookingEvent, upsertBookingsFromBatch } from '../store/bookings';
import { insertLotTariffsFromBatch, recordOutcomesFromBatch } from '../store/documents';
import { upsertSitesFromBatch, upsertSlotsFromBatch } from '../store/lots';
import type { WireEvent } from './schemas';

/**
 * The per-lot tables derived from events, inside the push's transaction. Every event carries
 * the row as it was after the change (a snapshot), so deriving is "the latest snapshot per row
 * wins": each store reduces the batch to its last event per row and writes it in sequence
 * order, set-based (central/store/batch.ts). Only the stores touched by the batch's kinds run.
 */
export async function deriveFromEvents(tx: CentralTx, lotId: string, events: WireEvent[]): Promise<number> {
  const kinds = new Set(events.map((event) => event.kind));
  const has = (test: (kind: string) => boolean) => [...kinds].some(test);
  const json = JSON.stringify(events.map((event) => ({ seq: event.seq, kind: event.kind, payload: event.payload })));
  let alarms = 0;
  if (has(isBookingEvent)) alarms += await upsertBookingsFromBatch(tx, lotId, events, json);
  if (kinds.has('booking.add_on')) await insertAddOnsFromBatch(tx, lotId, json);
  if (kinds.has('audit.recorded')) await insertAuditFromBatch(tx, lotId, json);
  if (has((kind) => kind.startsWith('slot.'))) await upsertSlotsFromBatch(tx, lotId, json);
  if (has((kind) => kind.startsWith('lot.'))) await upsertSitesFromBatch(tx, lotId, json);
  if (kinds.has('tariff.saved')) await insertLotTariffsFromBatch(tx, lotId, json);
  if (kinds.has('document.applied')) await recordOutcomesFromBatch(tx, lotId, json);
  return alarms;
}
