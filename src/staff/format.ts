/** Formatting for the console: money in the lot's currency, times on the lot's clock. */
import type { VehicleType } from '../../shared/vocabulary';
import { offsetMs } from '../../shared/local-time';
import { lotTimeZone, lotTimeZoneVersion } from '../i18n/lotClock';
import { formatMoney as formatMinor } from '../lib/money';

/** The console's money, in the lot's currency (src/lib/money.ts: the kiosk's formatter too). */
export const formatMoney = (minor: number, currency = 'INR'): string => formatMinor(minor, currency, 'en-IN');

/**
 * Times are shown on the lot's wall clock (its IANA zone: i18n/lotClock.ts, the one setter,
 * setLotTimeZone, called when the lot loads), not this PC's: a console opened on a laptop in
 * another zone still reads the lot's hours and days. The formatters are rebuilt when it changes.
 */
let built = -1;
let formats = buildFormats(lotTimeZone());

function current() {
  if (built !== lotTimeZoneVersion()) {
    built = lotTimeZoneVersion();
    formats = buildFormats(lotTimeZone());
  }
  return formats;
}

function buildFormats(zone: string) {
  const make = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...options, hour12: false, timeZone: zone });
  return {
    dateTime: make({ day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' }),
    dateTimeSeconds: make({ day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    timeOnly: make({ hour: '2-digit', minute: '2-digit' }),
    timeSeconds: make({ hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    dayOnly: make({ day: '2-digit', month: 'short' }),
    fullDate: make({ weekday: 'short', day: '2-digit', month: 'short', year: 'numeric' }),
  };
}

export const formatDateTime = (iso: string | number) => current().dateTime.format(new Date(iso));
export const formatDateTimeSeconds = (iso: string | number) => current().dateTimeSeconds.format(new Date(iso));
export const formatTime = (iso: string | number) => current().timeOnly.format(new Date(iso));
export const formatClock = (ms: number) => current().timeSeconds.format(new Date(ms));
export const formatDay = (iso: string | number) => current().dayOnly.format(new Date(iso));
export const formatFullDate = (ms: number) => current().fullDate.format(new Date(ms));

/** Minutes the lot's clock is ahead of UTC at `ms` (shared/local-time.ts, the core's zone math). */
export const zoneOffsetMinutes = (ms: number): number => Math.round(offsetMs(lotTimeZone(), ms) / 60_000);

/** The lot's calendar date (YYYY-MM-DD) at `ms`. */
export function zoneDate(ms: number): string {
  return new Date(ms + zoneOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

/** The instant the lot's day `date` (YYYY-MM-DD) starts, plus `days` whole days. */
export function zoneDayStart(date: string, days = 0): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  // The offset at that wall time (twice, so a day that starts just after a DST change is right).
  const guess = wall - zoneOffsetMinutes(wall) * 60_000;
  return wall - zoneOffsetMinutes(guess) * 60_000;
}

/** 1:02:03 or 42:13 — what is left of a running booking. */
export function formatRemaining(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return h > 0 ? `${h}:${mm}:${String(sec).padStart(2, '0')}` : `${mm}:${String(sec).padStart(2, '0')}`;
}

/** "in 42 min" / "in 1 h 5 min" */
export function formatIn(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes <= 60) return `in ${minutes} min`;
  const h = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `in ${h} h` : `in ${h} h ${minutes % 60} min`;
}

/** A label for every vehicle type of the vocabulary (the compiler checks none is missing); indexable by any stored text. */
export const VEHICLE_LABELS: Readonly<Record<string, string>> = { car: 'Car', suv: 'SUV', ev: 'EV', bike: 'Bike', truck: 'Truck' } satisfies Record<
  VehicleType,
  string
>;
