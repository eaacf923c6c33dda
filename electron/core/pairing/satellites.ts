import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { runInTransaction, runRead, statement, type KioskCore } from '../shared/core';

/**
 * MINIMAL stand-in for the pairing branch's satellite registry (issue 14): the same table and
 * the same three functions (the shared contract), so leases and replay can be built against it.
 * At merge the pairing branch's version of this file wins.
 */

export interface SatelliteReport {
  state: 'online' | 'offline-leases' | 'out-of-service';
  journalBacklog: number;
  leasedSlots: number;
}

export const credentialHash = (credential: string): string => createHash('sha256').update(credential).digest('hex');

/** Adds a satellite; its credential (32 random bytes, base64url) is returned once and stored only as a hash. */
export function registerSatellite(core: KioskCore, input: { name: string }): { id: string; credential: string } {
  const id = randomUUID();
  const credential = randomBytes(32).toString('base64url');
  runInTransaction(core, (tx) => {
    statement(core, 'INSERT INTO satellites (id, name, credential_hash, paired_at) VALUES (?, ?, ?, ?)').run(id, input.name, credentialHash(credential), tx.now);
  });
  return { id, credential };
}

/** The satellite a credential belongs to; null when unknown or revoked. */
export function verifySatelliteCredential(core: KioskCore, credential: string): { id: string; name: string } | null {
  if (!credential) return null;
  const row = runRead(core, () =>
    statement(core, 'SELECT id, name FROM satellites WHERE credential_hash = ? AND revoked_at IS NULL').get(credentialHash(credential)),
  ) as { id: string; name: string } | undefined;
  return row ?? null;
}

/** Notes that the satellite was heard from now, and what it said about itself (for the staff console). */
export function recordSatelliteContact(core: KioskCore, id: string, report: SatelliteReport): void {
  runInTransaction(core, (tx) => {
    statement(core, 'UPDATE satellites SET last_contact_at = ?, last_report = ? WHERE id = ?').run(tx.now, JSON.stringify(report), id);
  });
}
