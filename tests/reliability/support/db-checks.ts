import Database from 'better-sqlite3';

/** Opens a database file on its own connection (as a second process would) for checks. */
export function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export const integrity = (db: Database.Database): string =>
  (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');

/** Pairs of bookings on one slot that overlap in time; `includeFinished` also counts completed ones. */
export function overlappingPairs(db: Database.Database, includeFinished = false): number {
  const live = includeFinished ? "a.status <> 'cancelled' AND b.status <> 'cancelled'" : "a.status = 'booked' AND b.status = 'booked'";
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.slot_id = b.slot_id AND a.id < b.id
          WHERE ${live} AND a.start_ms < b.end_ms AND b.start_ms < a.end_ms`,
      )
      .get() as { n: number }
  ).n;
}

/**
 * Rows that could only exist half-written: wrong length or price (rows without a breakdown: one
 * lot duration at the slot's flat rate; rows with one: the price is the sum of its lines), a hold
 * ending before the stay, a chain starting after it, wrong status, missing reference.
 */
export function malformedBookings(db: Database.Database): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN lots l ON l.id = b.lot_id
          WHERE (b.price_breakdown IS NULL AND (b.end_ms - b.start_ms <> l.booking_minutes * 60000
                   OR b.price <> CAST(round(s.hourly_price * l.booking_minutes / 60.0) AS INTEGER)))
             OR (b.price_breakdown IS NOT NULL
                 AND b.price <> (SELECT coalesce(sum(json_extract(value, '$.amount')), 0) FROM json_each(b.price_breakdown)))
             OR b.grace_until_ms < b.end_ms OR b.chain_start_ms > b.start_ms
             OR b.status NOT IN ('booked', 'completed', 'cancelled')
             OR length(b.reference) < 4 OR b.vehicle_number = '' OR b.created_at IS NULL
             OR (b.status = 'cancelled') <> (b.cancelled_at IS NOT NULL)`,
      )
      .get() as { n: number }
  ).n;
}

export const bookingCount = (db: Database.Database): number => (db.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;

/** A distinct plate the kiosk accepts for each n; normalized it reads e.g. `KA-42`. */
export const plate = (n: number, prefix = 'KA'): string => `${prefix}${n}`;
