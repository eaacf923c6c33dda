/** Formatting for the console: money in the lot's currency, times in the console's local zone. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: number, currency = 'INR'): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-IN', { style: 'currency', currency, minimumFractionDigits: 2 });
    moneyFormats.set(currency, format);
  }
  return format.format(minor / 100);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
const timeOnly = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const timeSeconds = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dayOnly = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short' });
const fullDate = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: '2-digit', month: 'short', year: 'numeric' });

export const formatDateTime = (iso: string | number) => dateTime.format(new Date(iso));
const dateTimeSeconds = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
export const formatDateTimeSeconds = (iso: string | number) => dateTimeSeconds.format(new Date(iso));
export const formatTime = (iso: string | number) => timeOnly.format(new Date(iso));
export const formatClock = (ms: number) => timeSeconds.format(new Date(ms));
export const formatDay = (iso: string | number) => dayOnly.format(new Date(iso));
export const formatFullDate = (ms: number) => fullDate.format(new Date(ms));

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

export const VEHICLE_LABELS: Record<string, string> = { car: 'Car', suv: 'SUV', ev: 'EV', bike: 'Bike', truck: 'Truck' };

/** Parses a price typed in major units ("60", "60.5") into minor units, or null when it is not one. */
export function parseMajor(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 100);
}

export const toMajorText = (minor: number) => (minor / 100).toFixed(2);
