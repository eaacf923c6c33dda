/**
 * Money on screen. Amounts are integer minor units (paise, cents); the core takes only
 * currencies with two decimal places (electron/core/lots/locale-rules.ts), and a currency's
 * own digits come from Intl, so nothing here divides by a guessed 100.
 */
const formats = new Map<string, Intl.NumberFormat>();

function formatFor(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** Minor units per major unit of a currency (100 for INR, USD, EUR). */
export const minorPerMajor = (currency: string): number => 10 ** (formatFor('en', currency).resolvedOptions().maximumFractionDigits ?? 2);

/** `6000` INR in en-IN → "₹60.00". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return formatFor(locale, currency).format(minor / minorPerMajor(currency));
}

/** Parses a price typed in major units ("60", "60.5") into minor units, or null when it is not one. */
export function parseMajor(text: string, currency = 'INR'): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * minorPerMajor(currency));
}

/** Minor units as the text a price field starts with: 6000 → "60.00". */
export const toMajorText = (minor: number, currency = 'INR') => {
  const per = minorPerMajor(currency);
  return (minor / per).toFixed(Math.round(Math.log10(per)));
};
