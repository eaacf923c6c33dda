import { iso } from '../bookings/mapping';
import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
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

// Booked minutes per hour come from the bookings store (bookings/store.ts, occupancyByBucket).

export function occupancyByHour(core: KioskCore, lotId: number, period: ReportPeriod): OccupancyReport {
  assertPeriod(period, OCCUPANCY_MAX_DAYS);
  return runRead(core, () => {
    const lot = core.lots.byId(lotId);
    if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const slots = { n: core.slots.openCount(lotId) };
    const buckets = reportBuckets({ ...period, timeZone: period.timeZone ?? lot.timeZone }, 'hour');
    const from = buckets[0]!.startMs;
    const rows = core.bookings.occupancyByBucket({ lotId, from, to: period.toMs, buckets: buckets.map((b) => [b.startMs, b.endMs] as const) });
    const hours = rows.map((row) => {
      // A local hour is shorter where a half-hour DST change cuts it.
      const slotMinutes = slots.n * Math.round(row.lengthMs / 60_000);
      const bookedMinutes = Math.round(row.bookedMs / 60_000);
      return {
        hourStart: iso(row.hourStart),
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
