import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { runInTransaction, statement, type KioskCore } from '../shared/core';
import { DomainError, fail } from '../shared/errors';

export type StaffRole = 'staff' | 'owner';

export interface StaffIdentity {
  id: number;
  name: string;
  role: StaffRole;
}

export const SESSION_MS = 12 * 60 * 60 * 1000;
export const LOGIN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 5 * 60_000 };
const PIN_PATTERN = /^[0-9]{4,8}$/;

// scrypt makes each offline guess expensive if the file is ever copied off the kiosk.
export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function pinMatches(pin: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash!, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt!, 'base64'), expected.length, { N: 16384, r: 8, p: 1 });
  return timingSafeEqual(expected, actual);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export function assertPinShape(pin: string): void {
  if (!PIN_PATTERN.test(pin)) fail('BAD_REQUEST', 'A PIN is 4 to 8 digits.');
}

export function staffCount(core: KioskCore): number {
  return (statement(core, 'SELECT count(*) AS n FROM staff WHERE active = 1').get() as { n: number }).n;
}

export function addStaff(core: KioskCore, name: string, role: StaffRole, pin: string): StaffIdentity {
  assertPinShape(pin);
  const pinHash = hashPin(pin);
  return runInTransaction(core, (tx) => {
    if (findStaffByPin(core, pin)) fail('CONFLICT', 'Another staff member already uses that PIN. Choose a different one.');
    try {
      const id = Number(
        statement(core, 'INSERT INTO staff (name, role, pin_hash, active, created_at) VALUES (?, ?, ?, 1, ?)')
          .run(name, role, pinHash, tx.now).lastInsertRowid,
      );
      return { id, name, role };
    } catch (error) {
      if (error instanceof Error && error.message.includes('staff.name')) fail('CONFLICT', `There is already a staff member called ${name}.`);
      throw error;
    }
  });
}

/** First run: the very first account is an owner, and only while there is no staff at all. */
export function setupFirstOwner(core: KioskCore, name: string, pin: string): StaffIdentity {
  if (staffCount(core) > 0) fail('PRECONDITION_FAILED', 'This kiosk is already set up. Please log in with your PIN.');
  return addStaff(core, name, 'owner', pin);
}

export interface LoginResult {
  token: string;
  staff: StaffIdentity;
  expiresAt: string;
}

export function login(core: KioskCore, pin: string, clientKey: string): LoginResult {
  const keys = [`login:${clientKey}`, 'login:*'];
  const now = core.clock.now();
  for (const key of keys) core.throttle.assertOpen(key, now);
  const match = PIN_PATTERN.test(pin) ? findStaffByPin(core, pin) : undefined;
  if (!match) {
    core.throttle.recordFailure(keys[0]!, now, LOGIN_THROTTLE);
    // A looser global limit slows a guesser who rotates addresses.
    core.throttle.recordFailure(keys[1]!, now, { ...LOGIN_THROTTLE, maxFailures: LOGIN_THROTTLE.maxFailures * 4 });
    throw new DomainError('UNAUTHORIZED', 'That PIN is not right. Please try again.');
  }
  const token = `st_${randomBytes(32).toString('base64url')}`;
  return runInTransaction(core, (tx) => {
    statement(core, 'DELETE FROM staff_sessions WHERE expires_at <= ?').run(tx.now);
    statement(core, 'INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(sha256(token), match.id, tx.now, tx.now + SESSION_MS);
    return { token, staff: match, expiresAt: new Date(tx.now + SESSION_MS).toISOString() };
  });
}

export function logout(core: KioskCore, token: string): void {
  statement(core, 'DELETE FROM staff_sessions WHERE token_hash = ?').run(sha256(token));
}

/** The staff member a session token belongs to, or null if it is unknown or expired. */
export function staffForToken(core: KioskCore, token: string): StaffIdentity | null {
  const row = statement(
    core,
    `SELECT s.id, s.name, s.role FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
      WHERE ss.token_hash = ? AND ss.expires_at > ? AND s.active = 1`,
  ).get(sha256(token), core.clock.now()) as StaffIdentity | undefined;
  return row ?? null;
}

function findStaffByPin(core: KioskCore, pin: string): StaffIdentity | undefined {
  const rows = statement(core, 'SELECT id, name, role, pin_hash AS pinHash FROM staff WHERE active = 1').all() as (StaffIdentity & {
    pinHash: string;
  })[];
  const match = rows.find((row) => pinMatches(pin, row.pinHash));
  return match && { id: match.id, name: match.name, role: match.role };
}
