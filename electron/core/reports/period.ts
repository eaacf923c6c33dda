import { fail } from '../shared/errors';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** A reporting window in UTC ms, with the viewer's UTC offset so hours and days are local ones. */
export interface ReportPeriod {
  fromMs: number;
  toMs: number;
  utcOffsetMinutes: number;
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
