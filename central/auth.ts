import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Pool } from 'pg';

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

export async function findLotCredential(pool: Pool, key: string): Promise<LotCredential | null> {
  const { rows } = await pool.query<{ id: number; name: string; lot_id: string | null }>('SELECT id, name, lot_id FROM lot_credentials WHERE key_hash = $1', [
    hashLotKey(key),
  ]);
  const row = rows[0];
  return row ? { credentialId: row.id, name: row.name, lotId: row.lot_id } : null;
}

/** Binds a credential to the lot presenting it first; afterwards only that lot may use it. */
export async function bindCredential(pool: Pool, credential: LotCredential, lotId: string): Promise<boolean> {
  if (credential.lotId) return credential.lotId === lotId.toLowerCase();
  const { rowCount } = await pool.query('UPDATE lot_credentials SET lot_id = $2 WHERE id = $1 AND lot_id IS NULL', [credential.credentialId, lotId]);
  if (rowCount) return true;
  const again = await pool.query<{ lot_id: string | null }>('SELECT lot_id FROM lot_credentials WHERE id = $1', [credential.credentialId]);
  return again.rows[0]?.lot_id === lotId.toLowerCase();
}

/** Issues a lot credential (idempotent for a given key, so a restarted test or script can pass the same one). */
export async function addLotCredential(pool: Pool, name: string, key: string): Promise<void> {
  await pool.query('INSERT INTO lot_credentials (name, key_hash) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING', [name, hashLotKey(key)]);
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

export async function addStaffAccount(pool: Pool, name: string, password: string): Promise<void> {
  if (password.length < 10) throw new Error('A central staff password needs at least 10 characters.');
  await pool.query('INSERT INTO staff_accounts (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash', [
    name,
    await hashPassword(password),
  ]);
}

const SESSION_MS = 12 * 60 * 60 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function logIn(pool: Pool, name: string, password: string): Promise<string | null> {
  const { rows } = await pool.query<{ id: number; password_hash: string }>('SELECT id, password_hash FROM staff_accounts WHERE name = $1', [name]);
  const row = rows[0];
  // Hash anyway when the name is unknown, so the answer takes as long either way.
  const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!row || !ok) return null;
  const token = randomBytes(24).toString('base64url');
  await pool.query('INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)', [
    hashToken(token),
    row.id,
    new Date(Date.now() + SESSION_MS),
  ]);
  return token;
}

export async function staffForToken(pool: Pool, token: string | undefined): Promise<{ id: number; name: string } | null> {
  if (!token) return null;
  const { rows } = await pool.query<{ id: number; name: string }>(
    'SELECT a.id, a.name FROM staff_sessions s JOIN staff_accounts a ON a.id = s.staff_id WHERE s.token_hash = $1 AND s.expires_at > now()',
    [hashToken(token)],
  );
  return rows[0] ?? null;
}
