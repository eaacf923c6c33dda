import { z } from 'zod';
import { isTimeZone } from '../../../shared/local-time';

// A lot's and a slot's fields, validated the same way whether staff type them at the lot
// (electron/api/routers/lot.ts, slot.ts) or central hands them down (slots/documents.ts).

/** A slot's label as staff type it (compared without case within a lot). */
export const slotLabel = z
  .string({ error: 'Enter a slot label.' })
  .trim()
  .min(1, 'Enter a slot label.')
  .max(12, 'Keep a slot label to 12 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'A slot label has letters, digits, spaces and hyphens.');

export const lotName = z.string({ error: 'Give the lot a name.' }).trim().min(1, 'Give the lot a name.').max(60, 'Keep the lot name to 60 characters.');

export const currencyCode = z
  .string({ error: 'Give the currency as a three-letter code.' })
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'A currency is a three-letter code such as INR.');

/** An IANA zone Intl knows (the core stores its canonical spelling). */
export const timeZoneName = z
  .string({ error: 'Give the time zone as a name like Asia/Kolkata.' })
  .trim()
  .min(1, 'Give the time zone as a name like Asia/Kolkata.')
  .max(64, 'That time zone name is too long.')
  .refine(isTimeZone, 'That is not a time zone this kiosk knows. Use a name like Asia/Kolkata or Europe/London.');

export const bookingMinutes = z
  .number({ error: 'Give the booking length in minutes.' })
  .int('Minutes are a whole number.')
  .min(5, 'A booking lasts at least 5 minutes.')
  .max(1440, 'A booking lasts at most 24 hours.');

/** How long choosing a slot at the kiosk holds it (issue 13); a hold never lives past 10 minutes in all. */
export const slotHoldMinutes = z
  .number({ error: 'Give the slot hold time in minutes.' })
  .int('Minutes are a whole number.')
  .min(1, 'A slot hold lasts at least 1 minute.')
  .max(10, 'A slot hold lasts at most 10 minutes.');

/** Minutes after booking in which the driver may correct the plate once (0 turns it off). */
export const plateCorrectionMinutes = z
  .number({ error: 'Give the plate correction window in minutes.' })
  .int('Minutes are a whole number.')
  .min(0, 'The plate correction window is at least 0 minutes (off).')
  .max(60, 'The plate correction window is at most 60 minutes.');

/** Issue 12's grace after a flat-rate stay ends (0 turns it off; a saved tariff's own grace wins). */
export const graceMinutes = z
  .number({ error: 'Give the grace period in minutes.' })
  .int('Minutes are a whole number.')
  .min(0, 'The grace period is at least 0 minutes (off).')
  .max(120, 'The grace period is at most 120 minutes.');
