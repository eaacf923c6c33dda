import { runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import { assertPeriod, reportBuckets, type ReportPeriod } from './period';

export const OCCUPANCY_MAX_DAYS = 31;

export interface OccupancyHour {
  hourStart: string;
  bookedMinutes: number;
  slotMinutes: number;
  /** bookedMinutes / slotMinutes, 0..1 (0 when the lot has no open slots). */
  occupancy: number;
}

export interface OccupancyReport {
  lotId: number;
  slots: number;
  hours: OccupancyHour[];
  averageOccupancy: number;
  peak: OccupancyHour | null;
}

// Booked minutes per hour, in SQL: the bookings touching the window are picked once, then each
// hour sums the part of every booking that overlaps it. A cancelled booking held its slot
// until it was cancelled, so it counts up to then.
const OCCUPANCY_SQL = `
  WITH
    hours(h, e) AS MATERIALIZED (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@buckets)),
    held AS MATERIALIZED (
      SELECT start_ms AS s,
             CASE WHEN status = 'cancelled' THEN min(end_ms, coalesce(cancelled_at, end_ms)) ELSE end_ms END AS e
        FROM bookings
       WHERE lot_id = @lotId AND start_ms < @to AND end_ms > @from
    )
  SELECT h AS hourStart,
         hours.e - h AS lengthMs,
         coalesce(sum(CASE WHEN held.e > held.s THEN min(held.e, hours.e) - max(held.s, h) END), 0) AS bookedMs
    FROM hours LEFT JOIN held ON held.s < hours.e AND held.e > h
   GROUP BY h ORDER BY h`;

export function occupancyByHour(core: KioskCore, lotId: number, period: ReportPeriod): OccupancyReport {
  assertPeriod(period, OCCUPANCY_MAX_DAYS);
  return runRead(core, () => {
    const slots = statement(core, 'SELECT count(*) AS n, (SELECT count(*) FROM lots WHERE id = @lotId) AS lots FROM slots WHERE lot_id = @lotId AND enabled = 1')
      .get({ lotId }) as { n: number; lots: number };
    if (slots.lots === 0) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const zone = statement(core, 'SELECT time_zone AS timeZone FROM lots WHERE id = ?').get(lotId) as { timeZone: string };
    const buckets = reportBuckets({ ...period, timeZone: period.timeZone ?? zone.timeZone }, 'hour');
    const from = buckets[0]!.startMs;
    const rows = statement(core, OCCUPANCY_SQL).all({
      from,
      to: period.toMs,
      lotId,
      buckets: JSON.stringify(buckets.map((b) => [b.startMs, b.endMs])),
    }) as { hourStart: number; lengthMs: number; bookedMs: number }[];
    const hours = rows.map((row) => {
      // A local hour is shorter where a half-hour DST change cuts it.
      const slotMinutes = slots.n * Math.round(row.lengthMs / 60_000);
      const bookedMinutes = Math.round(row.bookedMs / 60_000);
      return {
        hourStart: new Date(row.hourStart).toISOString(),
        bookedMinutes,
        slotMinutes,
        occupancy: slotMinutes === 0 ? 0 : Math.min(1, bookedMinutes / slotMinutes),
      };
    });
    const total = hours.reduce((sum, h) => sum + h.bookedMinutes, 0);
    const capacity = hours.reduce((sum, h) => sum + h.slotMinutes, 0);
    const peak = hours.reduce<OccupancyHour | null>((best, h) => (best === null || h.occupancy > best.occupancy ? h : best), null);
    return { lotId, slots: slots.n, hours, averageOccupancy: capacity === 0 ? 0 : total / capacity, peak };
  });
}
