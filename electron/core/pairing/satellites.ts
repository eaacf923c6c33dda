import { recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { fail } from '../shared/errors';
import { runInTransaction, runRead } from '../shared/unit-of-work';

/**
 * The satellites paired with this hub (issue 14): the registry every other part codes
 * against. Pairing codes live in codes.ts and are re-exported here.
 */
export {
  createPairingCode,
  finishPairing,
  startPairing,
  PAIRING_CODE_LIFE_MS,
  type PairingCode,
  type PairingFinish,
  type PairingGrant,
  type PairingOffers,
  type PairingStart,
} from './codes';

export type SatelliteState = 'online' | 'offline-leases' | 'out-of-service';

/** What a satellite says about itself at each contact. */
export interface SatelliteReport {
  state: SatelliteState;
  journalBacklog: number;
  leasedSlots: number;
}

/** Contact older than this means the hub has lost the satellite (it renews every few seconds). */
export const CONTACT_FRESH_MS = 20_000;

export interface SatelliteSummary {
  id: string;
  name: string;
  pairedAt: string;
  revokedAt: string | null;
  lastContactAt: string | null;
  /** The hub's view: in touch now, not heard from lately, never heard from, or revoked. */
  connection: 'connected' | 'lost' | 'never' | 'revoked';
  /** The satellite's last report, null before its first contact. */
  report: SatelliteReport | null;
}

/** Registers a satellite directly (pairing does this after checking the proof). */
export function registerSatellite(core: KioskCore, input: { name: string }): { id: string; credential: string } {
  return runInTransaction(core, (tx) => core.satellites.insert(tx.now, input.name));
}

/** The satellite a credential belongs to, or null when it is unknown or revoked. One indexed lookup. */
export function verifySatelliteCredential(core: KioskCore, credential: string): { id: string; name: string } | null {
  if (!credential || credential.length > 128) return null;
  return core.satellites.activeByCredential(credential) ?? null;
}

/** Notes a contact and the satellite's report (the hub's lease renewal calls this). */
export function recordSatelliteContact(core: KioskCore, id: string, report: SatelliteReport): void {
  const json = JSON.stringify({ state: report.state, journalBacklog: report.journalBacklog, leasedSlots: report.leasedSlots });
  runInTransaction(core, (tx) => core.satellites.recordContact(id, tx.now, json));
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseReport(json: string | null): SatelliteReport | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<SatelliteReport>;
    const state = value.state === 'online' || value.state === 'offline-leases' || value.state === 'out-of-service' ? value.state : null;
    if (!state) return null;
    return { state, journalBacklog: Number(value.journalBacklog) || 0, leasedSlots: Number(value.leasedSlots) || 0 };
  } catch {
    return null;
  }
}

/** Every satellite, active ones first, newest pairing first. */
export function listSatellites(core: KioskCore): SatelliteSummary[] {
  return runRead(core, (tx) => {
    return core.satellites.all().map((row): SatelliteSummary => ({
      id: row.id,
      name: row.name,
      pairedAt: iso(row.pairedAt)!,
      revokedAt: iso(row.revokedAt),
      lastContactAt: iso(row.lastContactAt),
      connection:
        row.revokedAt !== null ? 'revoked' : row.lastContactAt === null ? 'never' : tx.now - row.lastContactAt <= CONTACT_FRESH_MS ? 'connected' : 'lost',
      report: parseReport(row.lastReport),
    }));
  });
}

/** Revokes a satellite's credential: its next request is refused (UNAUTHORIZED). Audited. */
export function revokeSatellite(core: KioskCore, id: string, actor: AuditActor): SatelliteSummary {
  runInTransaction(core, (tx) => {
    const row = core.satellites.byId(id);
    if (!row) return fail('NOT_FOUND', 'No kiosk with that id is paired with this hub.');
    if (row.revokedAt !== null) return;
    core.satellites.revoke(id, tx.now);
    recordAudit(core, tx.now, actor, 'satellite.revoked', { satelliteId: id, name: row.name });
  });
  return listSatellites(core).find((satellite) => satellite.id === id)!;
}
