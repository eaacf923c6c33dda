import { z } from 'zod';
import { BOOKING_STATUSES, BOOKING_TYPES, oneOf, STAFF_ROLES } from '../../shared/vocabulary';

// Wire primitives more than one router's inputs use. A domain's own inputs sit beside its
// procedures in electron/api/routers/<domain>.ts.

export const id = z
  .number({ error: 'An id is a whole number.' })
  .int('An id is a whole number.')
  .positive('An id is a positive number.')
  .max(2 ** 31);

export const isoInstant = z.iso.datetime({ offset: true, error: 'Give the time as an ISO 8601 date and time, e.g. 2026-01-15T14:00:00Z.' });

/** An optional ISO instant from the wire as epoch milliseconds. */
export const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** A new PIN's shape; the core also refuses trivial ones (assertPinAllowed). */
export const pin = z.string({ error: 'Enter the PIN.' }).regex(/^[0-9]{6,8}$/, 'A PIN is 6 to 8 digits.');

/** A plate as typed at a kiosk (the core normalizes and checks it); the booking router and a satellite's local router. */
export const vehicleNumber = z
  .string({ error: 'Enter the vehicle number as text.' })
  .min(1, 'Enter the vehicle number.')
  .max(32, 'That vehicle number is too long.');

export const reference = z
  .string({ error: 'Enter the booking reference as text.' })
  .min(1, 'Enter the booking reference.')
  .max(16, 'That booking reference is too long.');

export const bookingStatus = z.enum(BOOKING_STATUSES, { error: `Status is ${oneOf(BOOKING_STATUSES)}.` });

export const bookingType = z.enum(BOOKING_TYPES, { error: `Booking type is ${oneOf(BOOKING_TYPES)}.` });

export { vehicleType } from '../core/shared/fields';

export const staffRole = z.enum(STAFF_ROLES, { error: `Role is ${oneOf(STAFF_ROLES)}.` });

/** A stay's length in whole minutes; the core checks it against what the tariff offers. */
export const durationMinutes = z
  .number({ error: 'Give the length of the stay in minutes.' })
  .int('A stay is a whole number of minutes.')
  .positive('A stay lasts at least a minute.')
  .max(7 * 24 * 60, 'A stay can be booked for at most 7 days.');

/** A slot hold's token (slot.hold), as the kiosk got it. */
export const holdToken = z.string({ error: 'A hold token is text.' }).regex(/^hd_[A-Za-z0-9_-]{32}$/, 'That is not a slot hold token.');

export { money } from '../core/shared/fields';

/** How far a test clock moves in one step (clock.advance, on a kiosk and on a satellite). */
export const testClockAdvance = z
  .object({
    ms: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600 * 1000, 'Advance at most 30 days at a time.'),
  })
  .strict();
