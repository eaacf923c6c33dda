import type { Pool } from 'pg';

/** What the operator's console shows, as plain rows (console.ts renders them). */

export interface LotRow {
  lot_id: string;
  name: string;
  last_seq: string;
  last_contact_at: Date;
  reported_backlog: number;
  reported_oldest_unsent_at: Date | null;
  acked_version: number;
  latest_version: number | null;
  alarms: string;
  sites: string | null;
}

export async function listLots(pool: Pool): Promise<LotRow[]> {
  const { rows } = await pool.query<LotRow>(
    `SELECT l.lot_id, l.name, l.last_seq, l.last_contact_at, l.reported_backlog, l.reported_oldest_unsent_at, l.acked_version,
            (SELECT max(version) FROM documents d WHERE d.lot_id = l.lot_id) AS latest_version,
            (SELECT count(*) FROM alarms a WHERE a.lot_id = l.lot_id) AS alarms,
            (SELECT string_agg(s.name || ' (' || s.time_zone || ')', ', ' ORDER BY s.local_lot_id) FROM sites s WHERE s.lot_id = l.lot_id) AS sites
       FROM lots l ORDER BY l.name`,
  );
  return rows;
}

export interface BookingRow {
  lot: string;
  reference: string;
  vehicle_number: string;
  status: string;
  start_at: Date;
  end_at: Date;
  price: string;
  currency: string | null;
  time_zone: string | null;
  tariff_version: number | null;
  in_conflict: boolean;
}

/** Bookings across lots, newest first; `search` matches a plate or a reference (case-insensitive, part of it). */
export async function searchBookings(pool: Pool, search: string, limit = 100): Promise<BookingRow[]> {
  const { rows } = await pool.query<BookingRow>(
    `SELECT l.name AS lot, b.reference, b.vehicle_number, b.status, b.start_at, b.end_at, b.price, s.currency, s.time_zone, b.tariff_version, b.in_conflict
       FROM bookings b JOIN lots l USING (lot_id) LEFT JOIN sites s ON s.lot_id = b.lot_id AND s.local_lot_id = b.local_lot_id
      WHERE $1 = '' OR replace(b.vehicle_number, '-', '') ILIKE '%' || $1 || '%' OR b.reference ILIKE '%' || $1 || '%'
      ORDER BY b.created_at DESC LIMIT $2`,
    // Plates are stored as KA-01-AB-1234: compare without separators, as the lot does.
    [search.replace(/[%_\\\s-]/g, ''), limit],
  );
  return rows;
}

export interface SiteReport {
  lot: string;
  site: string;
  time_zone: string;
  currency: string;
  slots: string;
  occupied: string;
  /** Sold today (bookings made since the lot's local midnight, cancelled ones excepted), add-ons included. */
  revenue_today: string;
  revenue_total: string;
}

/** Occupancy now and revenue per lot, "today" in each lot's own time zone. */
export async function siteReports(pool: Pool): Promise<SiteReport[]> {
  const { rows } = await pool.query<SiteReport>(
    `WITH money AS (
       SELECT b.lot_id, b.local_lot_id, b.created_at, b.price + coalesce((SELECT sum(a.price) FROM booking_add_ons a WHERE a.lot_id = b.lot_id AND a.booking_id = b.booking_id), 0) AS amount
         FROM bookings b WHERE b.status <> 'cancelled')
     SELECT l.name AS lot, s.name AS site, s.time_zone, s.currency,
            (SELECT count(*) FROM slots x WHERE x.lot_id = s.lot_id AND x.local_lot_id = s.local_lot_id AND NOT x.deleted AND x.enabled) AS slots,
            (SELECT count(*) FROM bookings b WHERE b.lot_id = s.lot_id AND b.local_lot_id = s.local_lot_id AND b.status = 'booked'
                AND b.start_at <= now() AND b.end_at > now()) AS occupied,
            (SELECT coalesce(sum(amount), 0) FROM money m WHERE m.lot_id = s.lot_id AND m.local_lot_id = s.local_lot_id
                AND m.created_at >= (date_trunc('day', now() AT TIME ZONE s.time_zone) AT TIME ZONE s.time_zone)) AS revenue_today,
            (SELECT coalesce(sum(amount), 0) FROM money m WHERE m.lot_id = s.lot_id AND m.local_lot_id = s.local_lot_id) AS revenue_total
       FROM sites s JOIN lots l USING (lot_id) ORDER BY l.name, s.local_lot_id`,
  );
  return rows;
}
