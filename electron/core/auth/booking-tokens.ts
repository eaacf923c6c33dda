import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

const SECRET_KEY = 'booking_token_secret';

/**
 * A booking's access token is `bk_<id>_<issued>_<mac>`: an HMAC over the id with a secret
 * kept in the database. It needs no table and no lookup, survives restarts, and a new one
 * can be issued (find my booking) without invalidating the one the kiosk already holds.
 */
export function loadTokenSecret(sqlite: Database.Database): Buffer {
  const row = sqlite.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(SECRET_KEY);
  if (row) return Buffer.from(row.value, 'base64');
  const secret = randomBytes(32);
  sqlite.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(SECRET_KEY, secret.toString('base64'));
  return loadTokenSecret(sqlite);
}

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);

export function issueBookingToken(secret: Buffer, bookingId: number, now: number): string {
  const payload = `${bookingId}_${now.toString(36)}`;
  return `bk_${payload}_${mac(secret, payload)}`;
}

/** Returns the booking id the token grants, or null when it is not a genuine token. */
export function verifyBookingToken(secret: Buffer, token: string): number | null {
  const match = /^bk_(\d{1,15})_([0-9a-z]{1,12})_([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return null;
  const expected = Buffer.from(mac(secret, `${match[1]}_${match[2]}`));
  const given = Buffer.from(match[3]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? Number(match[1]) : null;
}
