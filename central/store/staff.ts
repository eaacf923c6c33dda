import { and, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { staffAccounts, staffSessions } from '../db/schema';

/** Central staff accounts and their console sessions: the only module that queries them. */

export type StaffAccount = typeof staffAccounts.$inferSelect;

export async function accountByName(db: Executor, name: string): Promise<StaffAccount | null> {
  const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.name, name));
  return row ?? null;
}

/** Creates the account, or resets its password. */
export async function upsertAccount(db: Executor, name: string, passwordHash: string): Promise<void> {
  await db.insert(staffAccounts).values({ name, passwordHash }).onConflictDoUpdate({ target: staffAccounts.name, set: { passwordHash } });
}

export async function insertSession(db: Executor, session: { tokenHash: string; staffId: number; expiresAt: Date }): Promise<void> {
  await db.insert(staffSessions).values(session);
}

/** The account behind an unexpired session. */
export async function accountForSession(db: Executor, tokenHash: string): Promise<{ id: number; name: string } | null> {
  const [row] = await db
    .select({ id: staffAccounts.id, name: staffAccounts.name })
    .from(staffSessions)
    .innerJoin(staffAccounts, eq(staffAccounts.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, sql`now()`)));
  return row ?? null;
}

/** Ends one session, and sweeps the expired ones while at it. */
export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(staffSessions).where(or(lt(staffSessions.expiresAt, sql`now()`), eq(staffSessions.tokenHash, tokenHash)));
}
