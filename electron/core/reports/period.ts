import { fail } from '../shared/errors';
import { localDateOf, localDay, localHourStarts, type LocalDate } from '../../../shared/local-time';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * A reporting window in UTC ms. Hours and days are local to `timeZone` (the lot's IANA zone:
 * 23- and 25-hour days on DST changes). `utcOffsetMinutes`, from older clients, asks for a
 * fixed offset instead.
 */
export interface ReportPeriod {
  fromMs: number;
  toMs: number;
  utcOffsetMinutes?: number;
  timeZone?: string;
}

/** One report bucket [startMs, endMs) and its local date. */
export interface Bucket {
  startMs: number;
  endMs: number;
  day: LocalDate;
}

/** Snaps `ms` down to the start of its local bucket (hour or day) for the given UTC offset. */
export function bucketStart(ms: number, bucketMs: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((ms + offset) / bucketMs) * bucketMs - offset;
}

export function assertPeriod(period: ReportPeriod, maxDays: number): void {
  if (!(period.toMs > period.fromMs)) fail('BAD_REQUEST', 'The end of the period must come after its start.');
  if (period.toMs - period.fromMs > maxDays * DAY_MS) fail('BAD_REQUEST', `Choose a period of at most ${maxDays} days.`);
}

const nextDate = (date: LocalDate): LocalDate => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The local days (or hours) from the one holding fromMs until toMs. */
export function reportBuckets(period: ReportPeriod, size: 'day' | 'hour'): Bucket[] {
  const buckets: Bucket[] = [];
  if (period.utcOffsetMinutes !== undefined || period.timeZone === undefined) {
    const offset = period.utcOffsetMinutes ?? 0;
    const step = size === 'day' ? DAY_MS : HOUR_MS;
    for (let start = bucketStart(period.fromMs, step, offset); start < period.toMs; start += step) {
      buckets.push({ startMs: start, endMs: start + step, day: new Date(start + offset * 60_000).toISOString().slice(0, 10) });
    }
    return buckets;
  }
  const zone = period.timeZone;
  for (let day = localDateOf(zone, period.fromMs); ; day = nextDate(day)) {
    const span = localDay(zone, day);
    if (span.fromMs >= period.toMs) break;
    if (size === 'day') {
      if (span.toMs > period.fromMs) buckets.push({ startMs: span.fromMs, endMs: span.toMs, day });
      continue;
    }
    for (const start of localHourStarts(day, zone)) {
      const end = Math.min(start + HOUR_MS, span.toMs);
      if (end > period.fromMs && start < period.toMs) buckets.push({ startMs: start, endMs: end, day });
    }
  }
  return buckets;
}
