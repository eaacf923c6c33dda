import { sql, type SQL } from 'drizzle-orm';

/**
 * Deriving is set-based: a push's events go to PostgreSQL once, as a JSON array, and each
 * store turns them into its rows with one INSERT … SELECT over jsonb_to_recordset. These are
 * the shared fragments of those hand-written statements (drizzle's query builder has no
 * jsonb_to_recordset source; per-row inserts would be many times slower).
 */

/** The batch as rows (seq, kind, payload); `json` is JSON.stringify of WireEvent-like objects. */
export const eventBatch = (json: string): SQL => sql`jsonb_to_recordset(${json}::jsonb) AS e(seq bigint, kind text, payload jsonb)`;

/** A payload field holding ms since the epoch, as a timestamptz (`p` is the payload). */
export const msToTimestamp = (field: string): SQL => sql.raw(`to_timestamp((p->>'${field}')::bigint / 1000.0)`);
