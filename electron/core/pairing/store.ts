import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { statement, type KioskCore } from '../shared/core';

/** A satellite's credential: 32 random bytes, base64url. Only its SHA-256 is stored. */
export const newCredential = (): string => randomBytes(32).toString('base64url');

export const credentialHash = (credential: string): string => createHash('sha256').update(credential).digest('hex');

/** Inserts a satellite row; call inside the transaction that grants it. */
export function insertSatellite(core: KioskCore, now: number, name: string): { id: string; credential: string } {
  const id = randomUUID();
  const credential = newCredential();
  statement(core, 'INSERT INTO satellites (id, name, credential_hash, paired_at) VALUES (?, ?, ?, ?)').run(id, name, credentialHash(credential), now);
  return { id, credential };
}
