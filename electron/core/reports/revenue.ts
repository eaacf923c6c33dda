import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
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
// local day the booking starts (bookings/store.ts, revenueByBucket). Days without bookings are
// filled in afterwards.

/** `day` is the local calendar date (YYYY-MM-DD) in the lot's zone (or a fixed offset, when asked). */
export function revenueByDay(core: KioskCore, lotId: number, period: ReportPeriod): RevenueReport {
  assertPeriod(period, REVENUE_MAX_DAYS);
  return runRead(core, () => {
    const lot = core.lots.byId(lotId);
    if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const buckets = reportBuckets({ ...period, timeZone: period.timeZone ?? lot.timeZone }, 'day');
    const from = buckets[0]!.startMs;
    const rows = core.bookings.revenueByBucket({ lotId, from, to: period.toMs, buckets: buckets.map((b) => [b.startMs, b.endMs] as const) });
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
