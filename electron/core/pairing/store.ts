import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { pairingCodes, satellites } from '../../../db/schema';
import type { HubIdentity } from './hub-identity';

/** A satellite's credential: 32 random bytes, base64url. Only its SHA-256 is stored. */
export const newCredential = (): string => randomBytes(32).toString('base64url');

export const credentialHash = (credential: string): string => createHash('sha256').update(credential).digest('hex');

export type SatelliteRow = typeof satellites.$inferSelect;
export type PairingCodeRow = typeof pairingCodes.$inferSelect;

const p = sql.placeholder;

/**
 * The pairing domain's queries (issue 14) on `satellites` and `pairing_codes`, prepared once
 * per connection and typed by db/schema.ts; nothing else queries these tables. It also holds
 * what this process serves as a hub (hub-identity.ts), so that state lives in the core.
 * Writes run inside the caller's unit of work.
 */
export function createSatelliteStore(orm: Orm) {
  const insertSatelliteRow = orm
    .insert(satellites)
    .values({ id: p('id'), name: p('name'), credentialHash: p('credentialHash'), pairedAt: p('pairedAt') })
    .prepare();
  const activeByHash = orm
    .select({ id: satellites.id, name: satellites.name })
    .from(satellites)
    .where(and(eq(satellites.credentialHash, p('hash')), isNull(satellites.revokedAt)))
    .prepare();
  const anyActiveRow = orm.select({ id: satellites.id }).from(satellites).where(isNull(satellites.revokedAt)).limit(1).prepare();
  const writeContact = orm
    .update(satellites)
    .set({ lastContactAt: sql`${p('now')}`, lastReport: sql`${p('report')}` })
    .where(and(eq(satellites.id, p('id')), isNull(satellites.revokedAt)))
    .prepare();
  // Active ones first, newest pairing first.
  const everyRow = orm.select().from(satellites).orderBy(isNotNull(satellites.revokedAt), desc(satellites.pairedAt), asc(satellites.id)).prepare();
  const byId = orm
    .select()
    .from(satellites)
    .where(eq(satellites.id, p('id')))
    .prepare();
  const writeRevoked = orm
    .update(satellites)
    .set({ revokedAt: sql`${p('now')}` })
    .where(eq(satellites.id, p('id')))
    .prepare();

  const deleteExpiredCodes = orm
    .delete(pairingCodes)
    .where(and(isNull(pairingCodes.usedAt), lte(pairingCodes.expiresAt, p('now'))))
    .prepare();
  const codeTaken = orm
    .select({ id: pairingCodes.id })
    .from(pairingCodes)
    .where(eq(pairingCodes.code, p('code')))
    .prepare();
  const insertCodeRow = orm
    .insert(pairingCodes)
    .values({ code: p('code'), createdAt: p('createdAt'), expiresAt: p('expiresAt'), createdBy: p('createdBy') })
    .prepare();
  const liveCodeRows = orm
    .select({ id: pairingCodes.id, code: pairingCodes.code })
    .from(pairingCodes)
    .where(and(isNull(pairingCodes.usedAt), gt(pairingCodes.expiresAt, p('now'))))
    .prepare();
  const useCodeRow = orm
    .update(pairingCodes)
    .set({ usedAt: sql`${p('now')}`, satelliteId: sql`${p('satelliteId')}` })
    .where(and(eq(pairingCodes.id, p('id')), isNull(pairingCodes.usedAt)))
    .prepare();
  const deleteUnusedCodes = orm.delete(pairingCodes).where(isNull(pairingCodes.usedAt)).prepare();

  const hub: { identity: HubIdentity | null } = { identity: null };

  return {
    /** The fingerprint and addresses this process serves as a hub, once its server started (null: not a hub). */
    hub,
    /** Inserts a satellite row with a fresh id and credential; call inside the transaction that grants it. */
    insert(now: number, name: string): { id: string; credential: string } {
      const id = randomUUID();
      const credential = newCredential();
      insertSatelliteRow.run({ id, name, credentialHash: credentialHash(credential), pairedAt: now });
      return { id, credential };
    },
    /** The unrevoked satellite holding this credential. One indexed lookup. */
    activeByCredential: (credential: string): { id: string; name: string } | undefined => activeByHash.get({ hash: credentialHash(credential) }),
    /** Whether this kiosk has any unrevoked satellite (i.e. acts as a hub). */
    anyActive: (): boolean => anyActiveRow.get() !== undefined,
    /** Notes a contact and the satellite's report (JSON); a revoked satellite is left as it is. */
    recordContact: (id: string, now: number, report: string) => void writeContact.run({ id, now, report }),
    all: (): SatelliteRow[] => everyRow.all(),
    byId: (id: string): SatelliteRow | undefined => byId.get({ id }),
    revoke: (id: string, now: number) => void writeRevoked.run({ id, now }),

    codes: {
      /** Drops unused codes whose life has ended (used ones stay: they name their satellite). */
      deleteExpired: (now: number) => void deleteExpiredCodes.run({ now }),
      exists: (code: string): boolean => codeTaken.get({ code }) !== undefined,
      insert: (row: { code: string; createdAt: number; expiresAt: number; createdBy: number | null }) => void insertCodeRow.run(row),
      live: (now: number): { id: number; code: string }[] => liveCodeRows.all({ now }),
      /** Marks a live code used by a satellite; false when it was used meanwhile. */
      use: (id: number, now: number, satelliteId: string): boolean => useCodeRow.run({ id, now, satelliteId }).changes === 1,
      /** Burns every unused code; returns how many. */
      deleteUnused: (): number => deleteUnusedCodes.run().changes,
    },
  };
}

export type SatelliteStore = ReturnType<typeof createSatelliteStore>;
