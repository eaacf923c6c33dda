import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SettingKey, SettingsStore } from '../settings/store';
import type { BookingStatus } from '../../../shared/vocabulary';

const SECRET_KEY = 'booking_token_secret' satisfies SettingKey;

/** A booking's token keeps working this long after the booking ends (renewing, a late receipt look). */
export const TOKEN_AFTER_END_MS = 24 * 60 * 60 * 1000;
/** After a cancel the token may still read the booking this long (the kiosk shows "cancelled"). */
export const TOKEN_AFTER_CANCEL_MS = 15 * 60 * 1000;

/** What a token is checked against: the one booking it was issued for. */
export interface TokenBooking {
  id: number;
  reference: string;
  createdAt: number;
  status: BookingStatus;
  endMs: number;
  cancelledAt: number | null;
}

/**
 * A booking's access token is `bk_<id>_<issued>_<mac>`: an HMAC with a secret kept in the
 * database over the id AND the booking's own reference and creation instant. So a token names
 * one booking, never "whatever booking has this id" (after a restore an id could come back);
 * it needs no table, survives restarts, and find-my-booking can issue another one.
 */
export function loadTokenSecret(settings: SettingsStore): Buffer {
  const known = settings.get(SECRET_KEY);
  if (known !== undefined) return Buffer.from(known, 'base64');
  settings.setIfAbsent(SECRET_KEY, randomBytes(32).toString('base64'));
  return loadTokenSecret(settings);
}

const mac = (secret: Buffer, payload: string, booking: Pick<TokenBooking, 'reference' | 'createdAt'>) =>
  createHmac('sha256', secret).update(`${payload}_${booking.reference}_${booking.createdAt}`).digest('base64url').slice(0, 32);

export function issueBookingToken(secret: Buffer, booking: Pick<TokenBooking, 'id' | 'reference' | 'createdAt'>, now: number): string {
  const payload = `${booking.id}_${now.toString(36)}`;
  return `bk_${payload}_${mac(secret, payload, booking)}`;
}

/** The booking id a token names, before any check (null when it is not shaped like one). */
export function bookingIdOfToken(token: string): number | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? Number(match[1]) : null;
}

const TOKEN_PATTERN = /^bk_(\d{1,15})_([0-9a-z]{1,12})_([A-Za-z0-9_-]{32})$/;

/**
 * Returns the booking id the token grants, or null when it is not a genuine token for that
 * very booking, or has lapsed: a day after the booking's end, or 15 minutes after a cancel.
 */
export function verifyBookingToken(secret: Buffer, token: string, booking: TokenBooking | undefined, now: number): number | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match || !booking || booking.id !== Number(match[1])) return null;
  const expected = Buffer.from(mac(secret, `${match[1]}_${match[2]}`, booking));
  const given = Buffer.from(match[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (now > booking.endMs + TOKEN_AFTER_END_MS) return null;
  if (booking.status === 'cancelled' && now > (booking.cancelledAt ?? 0) + TOKEN_AFTER_CANCEL_MS) return null;
  return booking.id;
}
