import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import { assertPeriod, reportBuckets, type ReportPeriod } from './period';

export const REVENUE_MAX_DAYS = 366;

export interface RevenueDay {
  day: string;
  bookings: number;
  parking: number;
  addOns: number;
  total: number;
}

export interface RevenueReport {
  lotId: number;
  currency: string;
  days: RevenueDay[];
  totals: { bookings: number; parking: number; addOns: number; total: number };
}

// Revenue is what non-cancelled bookings were sold for (price plus add-ons), counted on the
// local day the booking starts. Days without bookings are filled in afterwards.
const REVENUE_SQL = `
  WITH days(dayIndex, s, e) AS MATERIALIZED (
    SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@buckets))
  SELECT days.dayIndex,
         count(*) AS bookings,
         sum(b.price) AS parking,
         coalesce(sum((SELECT sum(a.price) FROM booking_add_ons a WHERE a.booking_id = b.id)), 0) AS addOns
    FROM bookings b JOIN days ON b.start_ms >= days.s AND b.start_ms < days.e
   WHERE b.lot_id = @lotId AND b.status <> 'cancelled' AND b.start_ms >= @from AND b.start_ms < @to
   GROUP BY days.dayIndex ORDER BY days.dayIndex`;

/** `day` is the local calendar date (YYYY-MM-DD) in the lot's zone (or a fixed offset, when asked). */
export function revenueByDay(core: KioskCore, lotId: number, period: ReportPeriod): RevenueReport {
  assertPeriod(period, REVENUE_MAX_DAYS);
  return runRead(core, () => {
    const lot = statement(core, 'SELECT currency, time_zone AS timeZone FROM lots WHERE id = ?').get(lotId) as { currency: string; timeZone: string } | undefined;
    if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const buckets = reportBuckets({ ...period, timeZone: period.timeZone ?? lot.timeZone }, 'day');
    const from = buckets[0]!.startMs;
    const rows = statement(core, REVENUE_SQL).all({ from, to: period.toMs, lotId, buckets: JSON.stringify(buckets.map((b) => [b.startMs, b.endMs])) }) as {
      dayIndex: number;
      bookings: number;
      parking: number;
      addOns: number;
    }[];
    const byIndex = new Map(rows.map((row) => [row.dayIndex, row]));
    const days: RevenueDay[] = [];
    for (let index = 0; index < buckets.length; index += 1) {
      const row = byIndex.get(index);
      const localDate = buckets[index]!.day;
      const parking = row?.parking ?? 0;
      const addOns = row?.addOns ?? 0;
      days.push({ day: localDate, bookings: row?.bookings ?? 0, parking, addOns, total: parking + addOns });
    }
    const totals = days.reduce(
      (sum, d) => ({ bookings: sum.bookings + d.bookings, parking: sum.parking + d.parking, addOns: sum.addOns + d.addOns, total: sum.total + d.total }),
      { bookings: 0, parking: 0, addOns: 0, total: 0 },
    );
    return { lotId, currency: lot.currency, days, totals };
  });
}
