import { fail } from '../shared/errors';

/**
 * The lot's time zone must be one Intl accepts (IANA names such as "Asia/Kolkata"). It is kept
 * as typed, in the list's own letter case when the list has it: Intl's canonical form would
 * turn Asia/Kolkata into the legacy Asia/Calcutta, which owners do not recognise.
 */
export function canonicalTimeZone(name: string): string {
  const zone = name.trim();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return fail('BAD_REQUEST', `"${name}" is not a time zone this kiosk knows. Use a name like Asia/Kolkata or Europe/London.`, 'TIME_ZONE_UNKNOWN');
  }
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return listed.find((candidate) => candidate.toLowerCase() === zone.toLowerCase()) ?? zone;
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
    fail('BAD_REQUEST', `${upper} has ${digits} decimal places; this kiosk stores prices in hundredths, so it takes currencies with 2 (such as INR, USD, EUR).`, 'CURRENCY_UNSUPPORTED');
  }
  return upper;
}
