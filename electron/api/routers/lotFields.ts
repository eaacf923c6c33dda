import { z } from 'zod';

/** The fields of a lot as the owner types them, shared by lot.create and slotAdmin.setLotSettings. */
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
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'That is not a time zone this kiosk knows. Use a name like Asia/Kolkata or Europe/London.');

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
