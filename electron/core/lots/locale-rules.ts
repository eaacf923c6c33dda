import { listedTimeZone } from '../../../shared/local-time';
import { fail } from '../shared/errors';

/**
 * The lot's time zone must be one Intl accepts (IANA names such as "Asia/Kolkata"), the same
 * validator as a tariff's zone (shared/local-time.ts isTimeZone). It is kept in the list's own
 * spelling (listedTimeZone), not Intl's canonical form (Asia/Calcutta).
 */
export function canonicalTimeZone(name: string): string {
  const zone = listedTimeZone(name);
  if (zone === undefined) {
    return fail('BAD_REQUEST', `"${name}" is not a time zone this kiosk knows. Use a name like Asia/Kolkata or Europe/London.`, 'TIME_ZONE_UNKNOWN');
  }
  return zone;
}

/**
 * Prices are stored as integer hundredths (paise, cents), so only currencies with two decimal
 * places fit; a yen or dinar lot would be priced 100 or 10 times wrong.
 */
export function checkCurrency(code: string): string {
  const upper = code.trim().toUpperCase();
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency').includes(upper) : /^[A-Z]{3}$/.test(upper);
  if (!known) fail('BAD_REQUEST', `"${code}" is not a currency code this kiosk knows. Use a three-letter code such as INR.`, 'CURRENCY_UNSUPPORTED');
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: upper }).resolvedOptions().maximumFractionDigits;
  if (digits !== 2) {
    fail(
      'BAD_REQUEST',
      `${upper} has ${digits} decimal places; this kiosk stores prices in hundredths, so it takes currencies with 2 (such as INR, USD, EUR).`,
      'CURRENCY_UNSUPPORTED',
    );
  }
  return upper;
}
