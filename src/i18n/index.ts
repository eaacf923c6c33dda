import { formatMoney } from '../lib/money';
import { useKioskLanguage, type KioskLanguage } from '../stores/kioskLanguage';
import { en, type Messages } from './en';
import { hi } from './hi';
import { lotTimeZone } from './lotClock';

export type { Messages };

export const catalogs: Record<KioskLanguage, Messages> = { en, hi };
export const languages: KioskLanguage[] = ['en', 'hi'];

/** The locale Intl formats with for each catalog (numbers stay in Latin digits in both). */
const intlLocales: Record<KioskLanguage, string> = { en: 'en-IN', hi: 'hi-IN' };

/** Fills `{name}` placeholders of a catalog string. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export interface Formatters {
  /** Integer minor units (paise, cents) in the lot's currency. */
  money(minor: number, currency: string): string;
  /** HH:MM on the lot's clock (its time zone, lotClock.ts), 24-hour. */
  time(iso: string | number): string;
  /** A short day and time on the lot's clock, for Advance bookings that start on another day. */
  dayTime(iso: string | number): string;
}

const formatterCache = new Map<string, Formatters>();

/** Formatters for `language` on the clock of `timeZone` (default: the lot's, once it has loaded). */
export function formatters(language: KioskLanguage, timeZone = lotTimeZone()): Formatters {
  const cacheKey = `${language}|${timeZone}`;
  const cached = formatterCache.get(cacheKey);
  if (cached) return cached;
  const locale = intlLocales[language];
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const dayTime = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const made: Formatters = {
    money: (minor, currency) => formatMoney(minor, currency, locale),
    time: (value) => time.format(new Date(value)),
    dayTime: (value) => dayTime.format(new Date(value)),
  };
  formatterCache.set(cacheKey, made);
  return made;
}

/** The current catalog and formatters; re-renders when the driver switches language. */
export function useMessages(): { t: Messages; f: Formatters; language: KioskLanguage } {
  const language = useKioskLanguage((state) => state.language);
  return { t: catalogs[language], f: formatters(language), language };
}
