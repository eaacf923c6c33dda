import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import { assertPeriod, bucketStart, DAY_MS, type ReportPeriod } from './period';

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
  SELECT CAST((b.start_ms - @from) / ${DAY_MS} AS INTEGER) AS dayIndex,
         count(*) AS bookings,
         sum(b.price) AS parking,
         coalesce(sum((SELECT sum(a.price) FROM booking_add_ons a WHERE a.booking_id = b.id)), 0) AS addOns
    FROM bookings b
   WHERE b.lot_id = @lotId AND b.status <> 'cancelled' AND b.start_ms >= @from AND b.start_ms < @to
   GROUP BY dayIndex ORDER BY dayIndex`;

/** `day` is the local calendar date (YYYY-MM-DD) in the viewer's offset. */
export function revenueByDay(core: KioskCore, lotId: number, period: ReportPeriod): RevenueReport {
  assertPeriod(period, REVENUE_MAX_DAYS);
  const from = bucketStart(period.fromMs, DAY_MS, period.utcOffsetMinutes);
  return runRead(core, () => {
    const lot = statement(core, 'SELECT currency FROM lots WHERE id = ?').get(lotId) as { currency: string } | undefined;
    if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const rows = statement(core, REVENUE_SQL).all({ from, to: period.toMs, lotId }) as {
      dayIndex: number;
      bookings: number;
      parking: number;
      addOns: number;
    }[];
    const byIndex = new Map(rows.map((row) => [row.dayIndex, row]));
    const days: RevenueDay[] = [];
    for (let index = 0, start = from; start < period.toMs; index += 1, start += DAY_MS) {
      const row = byIndex.get(index);
      const localDate = new Date(start + period.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
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
