import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { audit } from '../db/schema';
import { eventBatch, msToTimestamp } from './batch';

/** The lots' audit trails: the only module that queries `audit`. */

export type AuditEntry = typeof audit.$inferSelect;

/** Stores the batch's audit.recorded events (each entry once: a resent one is skipped). */
export async function insertAuditFromBatch(tx: Executor, lotId: string, batchJson: string): Promise<void> {
  await tx.execute(sql`INSERT INTO ${audit} (lot_id, audit_id, at, staff_id, actor, action, detail)
SELECT ${lotId}::uuid, (p->>'id')::bigint, ${msToTimestamp('at')}, (p->>'staffId')::bigint, p->>'actor', p->>'action', coalesce(p->'detail', '{}'::jsonb)
  FROM (SELECT payload AS p FROM ${eventBatch(batchJson)} WHERE kind = 'audit.recorded') x
ON CONFLICT DO NOTHING`);
}
