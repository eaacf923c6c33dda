import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type pg from 'pg';
import { backoffDelay, type BackoffPolicy } from '../electron/core/auth/backoff';
import { centralDb, type CentralDb } from './db/client';
import { bindCredentialTo, credentialByKeyHash, insertCredential } from './store/lots';
import { accountByName, accountForSession, deleteSession, insertSession, upsertAccount } from './store/staff';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Lot keys are random and long (newLotKey), so a plain SHA-256 is enough to keep them off disk. */
export const hashLotKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newLotKey = () => randomBytes(24).toString('base64url');

export interface LotCredential {
  credentialId: number;
  name: string;
  /** Null until the lot's first push binds its global id to this credential. */
  lotId: string | null;
}

/** Where the central store is: its drizzle database, or (tests, scripts) the bare pool under it. */
type Store = CentralDb | pg.Pool;

export async function findLotCredential(store: Store, key: string): Promise<LotCredential | null> {
  const row = await credentialByKeyHash(centralDb(store), hashLotKey(key));
  return row ? { credentialId: row.id, name: row.name, lotId: row.lotId } : null;
}

/** Binds a credential to the lot presenting it first; afterwards only that lot may use it. */
export async function bindCredential(store: Store, credential: LotCredential, lotId: string): Promise<boolean> {
  if (credential.lotId) return credential.lotId === lotId.toLowerCase();
  return (await bindCredentialTo(centralDb(store), credential.credentialId, lotId)) === lotId.toLowerCase();
}

/** Issues a lot credential (idempotent for a given key, so a restarted test or script can pass the same one). */
export async function addLotCredential(store: Store, name: string, key: string): Promise<void> {
  await insertCredential(centralDb(store), name, hashLotKey(key));
}

// Central staff passwords: scrypt with a per-account salt (N=2^14, r=8, p=1: Node's default cost).
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export async function addStaffAccount(store: Store, name: string, password: string): Promise<void> {
  if (password.length < 10) throw new Error('A central staff password needs at least 10 characters.');
  await upsertAccount(centralDb(store), name, await hashPassword(password));
}

const SESSION_MS = 12 * 60 * 60 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function logIn(store: Store, name: string, password: string): Promise<string | null> {
  const db = centralDb(store);
  const account = await accountByName(db, name);
  // Hash anyway when the name is unknown, so the answer takes as long either way.
  const ok = await verifyPassword(password, account?.passwordHash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!account || !ok) return null;
  const token = randomBytes(24).toString('base64url');
  await insertSession(db, { tokenHash: hashToken(token), staffId: account.id, expiresAt: new Date(Date.now() + SESSION_MS) });
  return token;
}

export async function staffForToken(store: Store, token: string | undefined): Promise<{ id: number; name: string } | null> {
  if (!token) return null;
  return accountForSession(centralDb(store), hashToken(token));
}

/** Ends the session of `token` (and sweeps expired ones). */
export async function logOut(store: Store, token: string): Promise<void> {
  await deleteSession(centralDb(store), hashToken(token));
}

/**
 * Wrong central passwords cost growing delays, as a lot's PIN login does (the same rule,
 * backoffDelay): the first few are free, then each waits twice as long as the last, up to 15
 * minutes. Counted per caller address, and per name from that address, so guessing from one
 * machine slows down while an operator elsewhere still logs in. Kept in memory (the central
 * server is one process; a restart forgets), bounded in size. Behind a reverse proxy every
 * caller has the proxy's address: they then share one count (documented in docs/central.md).
 */
export const CENTRAL_LOGIN_BACKOFF: BackoffPolicy = { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000 };
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();

  constructor(
    private readonly policy: BackoffPolicy = CENTRAL_LOGIN_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  private keys(address: string, name: string): string[] {
    // Names are short; a long one must not make the map large (it is counted by its first 64 characters).
    return [`addr:${address.slice(0, 64)}`, `name:${address.slice(0, 64)}:${name.trim().toLowerCase().slice(0, 64)}`];
  }

  /** Milliseconds this caller must still wait before trying again (0: go ahead). */
  waitMs(address: string, name: string): number {
    const now = this.now();
    let wait = 0;
    for (const key of this.keys(address, name)) {
      const entry = this.failures.get(key);
      if (!entry) continue;
      if (now - entry.lastAt > this.policy.forgetMs) {
        this.failures.delete(key);
        continue;
      }
      wait = Math.max(wait, entry.lastAt + backoffDelay(entry.count, this.policy) - now);
    }
    return Math.max(0, wait);
  }

  recordFailure(address: string, name: string): void {
    const now = this.now();
    for (const key of this.keys(address, name)) {
      const entry = this.failures.get(key);
      this.failures.delete(key); // re-inserted last: the map's order is oldest first
      this.failures.set(key, { count: (entry && now - entry.lastAt <= this.policy.forgetMs ? entry.count : 0) + 1, lastAt: now });
    }
    while (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(address: string, name: string): void {
    for (const key of this.keys(address, name)) this.failures.delete(key);
  }
}
