import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { DomainError, fail } from '../shared/errors';
import { isUniqueViolation } from '../shared/sqlite-errors';
import { runInTransaction, type Tx } from '../shared/unit-of-work';
import { assertPinAllowed, hashPin, needsRehash, pinMatches } from './pins';
import type { StaffRow } from './store';
import type { BackoffPolicy } from './throttle';

export type { StaffRole } from '../../../shared/vocabulary';
import type { StaffRole } from '../../../shared/vocabulary';

export interface StaffIdentity {
  id: number;
  name: string;
  role: StaffRole;
}

export const SESSION_MS = 12 * 60 * 60 * 1000;
/**
 * Wrong PINs cost each client (origin + address) growing delays: 3 free, then 1 s, 2 s, 4 s …
 * up to 15 minutes, forgotten after an hour of quiet or a correct PIN. There is no lot-wide
 * lock: a guesser only ever slows down itself, never the owner at another desk or the screen.
 */
export const LOGIN_BACKOFF: BackoffPolicy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000 };

export interface LoginClient {
  clientKey: string;
  origin: 'screen' | 'network';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export function assertPinShape(pin: string): void {
  assertPinAllowed(pin);
}

export function staffCount(core: KioskCore): number {
  return core.staff.activeCount();
}

/**
 * Inserts a staff row inside the caller's transaction (so its audit entry commits with it).
 * Two people may share a PIN (nothing here may tell an owner someone else's PIN); login then
 * asks for the name as well.
 */
export function insertStaff(core: KioskCore, tx: Tx, name: string, role: StaffRole, pinHash: string): StaffIdentity {
  try {
    return { id: core.staff.insert({ name, role, pinHash, createdAt: tx.now }), name, role };
  } catch (error) {
    if (isUniqueViolation(error, 'staff.name')) fail('CONFLICT', `There is already a staff member called ${name}.`);
    throw error;
  }
}

/** Adds a staff member without an audit entry (boot's first owner from the environment, tests). */
export function addStaff(core: KioskCore, name: string, role: StaffRole, pin: string): StaffIdentity {
  assertPinAllowed(pin);
  const pinHash = hashPin(pin);
  return runInTransaction(core, (tx) => insertStaff(core, tx, name, role, pinHash));
}

const SETUP_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * On a database with no staff, makes the one-time code that lets another device (the
 * console in a browser on the lot's network) do the first-run setup; the server prints it at
 * start. Returns null when the kiosk is already set up.
 */
export function issueSetupCode(core: KioskCore): string | null {
  if (staffCount(core) > 0) return null;
  let code = '';
  for (let i = 0; i < 10; i += 1) code += SETUP_CODE_ALPHABET[randomInt(SETUP_CODE_ALPHABET.length)];
  core.setupCode.value = code;
  return code;
}

const normalizeSetupCode = (code: string) => code.toUpperCase().replace(/[\s-]+/g, '');

/**
 * First run: the very first account is an owner, and only while there is no staff at all.
 * The kiosk's own screen may do it; anyone else needs the code printed at start, so the
 * first web page or device to find the kiosk on the network cannot make itself the owner.
 */
export function setupFirstOwner(core: KioskCore, name: string, pin: string, client: LoginClient & { setupCode?: string }): LoginResult {
  if (staffCount(core) > 0) fail('PRECONDITION_FAILED', 'This kiosk is already set up. Please log in with your PIN.');
  if (client.origin !== 'screen') {
    const key = `setup:${client.clientKey}`;
    core.throttle.assertOpen(key, core.clock.now());
    const expected = core.setupCode.value;
    const given = normalizeSetupCode(client.setupCode ?? '');
    const ok = expected !== undefined && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) {
      core.throttle.recordBackoffFailure(key, core.clock.now(), LOGIN_BACKOFF);
      fail(
        'FORBIDDEN',
        client.setupCode
          ? 'That setup code is not right. Use the code the kiosk printed when it started.'
          : 'First-run setup from another device needs the setup code the kiosk printed when it started.',
        'SETUP_CODE_NEEDED',
      );
    }
  }
  assertPinAllowed(pin);
  const pinHash = hashPin(pin);
  const loginKey = loginThrottleKey(client);
  // One transaction: the owner, its `auth.setup` entry, and (as the login that used to follow
  // it) the session and its `auth.login` entry. A client whose logins are throttled still
  // gets the owner made, then the same "try again later" a login would have given it.
  const done = runInTransaction(core, (tx) => {
    if (staffCount(core) > 0) fail('PRECONDITION_FAILED', 'This kiosk is already set up. Please log in with your PIN.');
    const owner = insertStaff(core, tx, name, 'owner', pinHash);
    const actor = { staffId: owner.id, name: owner.name };
    recordAudit(core, tx.now, actor, 'auth.setup', { client: client.clientKey, origin: client.origin });
    try {
      core.throttle.assertOpen(loginKey, tx.now);
    } catch (throttled) {
      return { throttled };
    }
    core.throttle.clear(loginKey);
    return { session: openSession(core, tx, owner, client) };
  });
  core.setupCode.value = undefined;
  if ('throttled' in done) throw done.throttled;
  return done.session;
}

/** A new session for a staff member who just proved their PIN, with its `auth.login` entry. */
function openSession(core: KioskCore, tx: Tx, staff: StaffIdentity, client: LoginClient): LoginResult {
  const token = `st_${randomBytes(32).toString('base64url')}`;
  core.staff.deleteExpiredSessions(tx.now);
  core.staff.insertSession({ tokenHash: sha256(token), staffId: staff.id, createdAt: tx.now, expiresAt: tx.now + SESSION_MS });
  recordAudit(core, tx.now, { staffId: staff.id, name: staff.name }, 'auth.login', { client: client.clientKey });
  return { token, staff, expiresAt: new Date(tx.now + SESSION_MS).toISOString() };
}

export interface LoginResult {
  token: string;
  staff: StaffIdentity;
  expiresAt: string;
}

const LEGACY_LOGIN_PIN = /^[0-9]{4,8}$/;

/** The throttle bucket of a client: the screen and each network address count on their own. */
export const loginThrottleKey = (client: LoginClient) => `login:${client.origin}:${client.clientKey}`;

/**
 * PIN login, optionally with the name (needed only when two active staff share the PIN).
 * Hashing runs off the main thread and outside any transaction.
 */
export async function login(core: KioskCore, pin: string, client: LoginClient, name?: string): Promise<LoginResult> {
  const key = loginThrottleKey(client);
  core.throttle.assertOpen(key, core.clock.now());
  // 4- and 5-digit PINs set before the 6-digit rule still log in (new ones cannot be set).
  const matches = LEGACY_LOGIN_PIN.test(pin) ? await findStaffByPin(core, pin, name) : [];
  if (matches.length === 0) {
    // Wrong PINs belong in the audit log too (they are how a guesser shows up): the count that
    // slows the client down and the entry commit together.
    runInTransaction(core, (tx) => {
      core.throttle.recordBackoffFailure(key, tx.now, LOGIN_BACKOFF);
      recordAudit(core, tx.now, { staffId: null, name: 'unknown' }, 'auth.login_failed', { client: client.clientKey, origin: client.origin });
    });
    throw new DomainError('UNAUTHORIZED', name ? 'That name and PIN do not match. Please try again.' : 'That PIN is not right. Please try again.', 'WRONG_PIN');
  }
  if (matches.length > 1) fail('CONFLICT', 'More than one staff member uses that PIN. Enter your name as well.', 'NAME_NEEDED');
  const match = matches[0]!;
  core.throttle.clear(key);
  // Hashes from before today's scrypt parameters are replaced now that the PIN is known.
  const upgraded = needsRehash(match.pinHash) ? hashPin(pin) : null;
  const staff: StaffIdentity = { id: match.id, name: match.name, role: match.role };
  return runInTransaction(core, (tx) => {
    if (upgraded) core.staff.replaceHash(match.id, match.pinHash, upgraded);
    return openSession(core, tx, staff, client);
  });
}

/** After start-up recovery nobody's session is trusted: the file may be another day's. */
export function endAllSessions(core: KioskCore): void {
  core.staff.deleteAllSessions();
}

export function logout(core: KioskCore, token: string): void {
  core.staff.deleteSession(sha256(token));
}

/** The staff member a session token belongs to, or null if it is unknown or expired. */
export function staffForToken(core: KioskCore, token: string): StaffIdentity | null {
  return core.staff.staffForSession(sha256(token), core.clock.now()) ?? null;
}

async function findStaffByPin(core: KioskCore, pin: string, name?: string): Promise<StaffRow[]> {
  const rows = core.staff.active().filter((row) => name === undefined || row.name.toLowerCase() === name.trim().toLowerCase());
  const verdicts = await Promise.all(rows.map((row) => pinMatches(pin, row.pinHash)));
  return rows.filter((_, i) => verdicts[i]);
}
