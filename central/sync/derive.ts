import type { PoolClient } from 'pg';
import type { WireEvent } from './schemas';

/**
 * The per-lot tables derived from events, inside the push's transaction. Every event carries
 * the row as it was after the change (a snapshot), so deriving is "the latest snapshot per row
 * wins": a batch is reduced to its last event per row and written in sequence order.
 * $1 is the lot id, $2 the batch as a JSON array of events.
 */

const ms = (field: string) => `to_timestamp((p->>'${field}')::bigint / 1000.0)`;
const batch = `jsonb_to_recordset($2::jsonb) AS e(seq bigint, kind text, payload jsonb)`;

const bookingColumns = `lot_id, booking_id, local_lot_id, reference, slot_id, vehicle_number, vehicle_type, booking_type, status,
  start_ms, end_ms, start_at, end_at, price, renewed_from_id, tariff_version, created_at, cancelled_at, cancelled_by,
  cancel_reason, snapshot, last_seq, in_conflict`;
const bookingValues = `$1, (p->>'id')::bigint, (p->>'lotId')::int, p->>'reference', (p->>'slotId')::bigint, p->>'vehicleNumber',
  p->>'vehicleType', p->>'bookingType', p->>'status', (p->>'startMs')::bigint, (p->>'endMs')::bigint, ${ms('startMs')}, ${ms('endMs')},
  (p->>'price')::bigint, (p->>'renewedFromId')::bigint, (p->>'tariffVersion')::int, ${ms('createdAt')}, ${ms('cancelledAt')},
  p->>'cancelledBy', p->>'cancelReason', p, seq, $3::boolean`;
const bookingUpsert = `ON CONFLICT (lot_id, booking_id) DO UPDATE SET
  reference = EXCLUDED.reference, slot_id = EXCLUDED.slot_id, vehicle_number = EXCLUDED.vehicle_number,
  vehicle_type = EXCLUDED.vehicle_type, booking_type = EXCLUDED.booking_type, status = EXCLUDED.status,
  start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
  price = EXCLUDED.price, renewed_from_id = EXCLUDED.renewed_from_id, tariff_version = EXCLUDED.tariff_version,
  cancelled_at = EXCLUDED.cancelled_at, cancelled_by = EXCLUDED.cancelled_by, cancel_reason = EXCLUDED.cancel_reason,
  snapshot = EXCLUDED.snapshot, last_seq = EXCLUDED.last_seq, in_conflict = b.in_conflict OR EXCLUDED.in_conflict
  WHERE b.last_seq < EXCLUDED.last_seq`;
const isBookingEvent = (kind: string) => kind.startsWith('booking.') && kind !== 'booking.add_on';

const UPSERT_BOOKINGS = `INSERT INTO bookings AS b (${bookingColumns})
SELECT ${bookingValues} FROM (
  SELECT DISTINCT ON ((payload->>'id')::bigint) seq, payload AS p FROM ${batch}
   WHERE kind LIKE 'booking.%' AND kind <> 'booking.add_on'
   ORDER BY (payload->>'id')::bigint, seq DESC) latest
ORDER BY seq
${bookingUpsert}`;

const INSERT_ADD_ONS = `INSERT INTO booking_add_ons (lot_id, add_on_id, booking_id, kind, price, created_at)
SELECT $1, (p->>'id')::bigint, (p->>'bookingId')::bigint, p->>'kind', (p->>'price')::bigint, ${ms('createdAt')}
  FROM (SELECT payload AS p FROM ${batch} WHERE kind = 'booking.add_on') x
ON CONFLICT DO NOTHING`;

const INSERT_AUDIT = `INSERT INTO audit (lot_id, audit_id, at, staff_id, actor, action, detail)
SELECT $1, (p->>'id')::bigint, ${ms('at')}, (p->>'staffId')::bigint, p->>'actor', p->>'action', coalesce(p->'detail', '{}'::jsonb)
  FROM (SELECT payload AS p FROM ${batch} WHERE kind = 'audit.recorded') x
ON CONFLICT DO NOTHING`;

const UPSERT_SLOTS = `INSERT INTO slots AS s (lot_id, slot_id, local_lot_id, label, vehicle_type, hourly_price, enabled, deleted, last_seq)
SELECT $1, (p->>'id')::bigint, (p->>'lotId')::int, p->>'label', p->>'vehicleType', (p->>'hourlyPrice')::bigint,
       (p->>'enabled')::boolean, kind = 'slot.deleted', seq
  FROM (SELECT DISTINCT ON ((payload->>'id')::bigint) seq, kind, payload AS p FROM ${batch}
         WHERE kind LIKE 'slot.%' ORDER BY (payload->>'id')::bigint, seq DESC) latest
ON CONFLICT (lot_id, slot_id) DO UPDATE SET label = EXCLUDED.label, vehicle_type = EXCLUDED.vehicle_type,
  hourly_price = EXCLUDED.hourly_price, enabled = EXCLUDED.enabled, deleted = EXCLUDED.deleted, last_seq = EXCLUDED.last_seq
  WHERE s.last_seq < EXCLUDED.last_seq`;

const UPSERT_SITES = `INSERT INTO sites AS t (lot_id, local_lot_id, name, currency, time_zone, settings, last_seq)
SELECT $1, (p->>'id')::int, p->>'name', p->>'currency', p->>'timeZone', p, seq
  FROM (SELECT DISTINCT ON ((payload->>'id')::int) seq, payload AS p FROM ${batch}
         WHERE kind LIKE 'lot.%' ORDER BY (payload->>'id')::int, seq DESC) latest
ON CONFLICT (lot_id, local_lot_id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency,
  time_zone = EXCLUDED.time_zone, settings = EXCLUDED.settings, last_seq = EXCLUDED.last_seq
  WHERE t.last_seq < EXCLUDED.last_seq`;

const INSERT_TARIFFS = `INSERT INTO lot_tariffs (lot_id, local_lot_id, version, document, created_at, created_by)
SELECT $1, (p->>'lotId')::int, (p->>'version')::int, p->'document', ${ms('createdAt')}, p->>'createdBy'
  FROM (SELECT payload AS p FROM ${batch} WHERE kind = 'tariff.saved') x
ON CONFLICT DO NOTHING`;

/** Writes the derived rows of `events` (all new, in sequence order); returns how many alarms it recorded. */
export async function deriveFromEvents(client: PoolClient, lotId: string, events: WireEvent[]): Promise<number> {
  const kinds = new Set(events.map((event) => event.kind));
  const has = (test: (kind: string) => boolean) => [...kinds].some(test);
  const json = JSON.stringify(events.map((event) => ({ seq: event.seq, kind: event.kind, payload: event.payload })));
  let alarms = 0;
  if (has(isBookingEvent)) alarms += await upsertBookings(client, lotId, events, json);
  if (kinds.has('booking.add_on')) await client.query(INSERT_ADD_ONS, [lotId, json]);
  if (kinds.has('audit.recorded')) await client.query(INSERT_AUDIT, [lotId, json]);
  if (has((kind) => kind.startsWith('slot.'))) await client.query(UPSERT_SLOTS, [lotId, json]);
  if (has((kind) => kind.startsWith('lot.'))) await client.query(UPSERT_SITES, [lotId, json]);
  if (kinds.has('tariff.saved')) await client.query(INSERT_TARIFFS, [lotId, json]);
  return alarms;
}

const EXCLUSION_VIOLATION = '23P01';

/**
 * The set-based upsert first; if the exclusion constraint fires (a lot broke its own
 * no-double-booking invariant), redo the batch's bookings one event at a time and store the
 * offending row marked in_conflict, with an alarm, instead of refusing the lot's history.
 */
async function upsertBookings(client: PoolClient, lotId: string, events: WireEvent[], json: string): Promise<number> {
  // Only an active booking can meet the constraint: a batch of completions and cancels needs no savepoint.
  if (!events.some((event) => isBookingEvent(event.kind) && event.payload.status === 'booked')) {
    await client.query(UPSERT_BOOKINGS, [lotId, json, false]);
    return 0;
  }
  await client.query('SAVEPOINT bookings_batch');
  try {
    await client.query(UPSERT_BOOKINGS, [lotId, json, false]);
    await client.query('RELEASE SAVEPOINT bookings_batch');
    return 0;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT bookings_batch');
    if ((error as { code?: string }).code !== EXCLUSION_VIOLATION) throw error;
  }
  let alarms = 0;
  for (const event of events.filter((one) => isBookingEvent(one.kind))) {
    const single = JSON.stringify([{ seq: event.seq, kind: event.kind, payload: event.payload }]);
    await client.query('SAVEPOINT booking_row');
    try {
      await client.query(UPSERT_BOOKINGS, [lotId, single, false]);
      await client.query('RELEASE SAVEPOINT booking_row');
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT booking_row');
      if ((error as { code?: string }).code !== EXCLUSION_VIOLATION) throw error;
      await client.query(UPSERT_BOOKINGS, [lotId, single, true]);
      await client.query(`INSERT INTO alarms (lot_id, seq, kind, detail) VALUES ($1, $2, 'double_booking', $3::jsonb)`, [
        lotId,
        event.seq,
        JSON.stringify({ message: (error as Error).message, booking: event.payload }),
      ]);
      alarms += 1;
    }
  }
  return alarms;
}
