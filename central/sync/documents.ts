import type { Pool } from 'pg';

export interface PulledDocument {
  version: number;
  kind: 'tariff';
  localLotId: number;
  document: unknown;
  /** ms since the epoch */
  effectiveFrom: number;
}

/**
 * Publishes one tariff to each chosen lot as that lot's next document version (one
 * transaction: every chosen lot gets it, or none). Returns the version per lot.
 */
export async function publishTariff(
  pool: Pool,
  input: { lotIds: string[]; localLotId?: number; document: unknown; effectiveFrom: number; by: string },
): Promise<Record<string, number>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const versions: Record<string, number> = {};
    for (const lotId of input.lotIds) {
      // The lot row lock serializes publishers; versions of one lot are 1, 2, 3, …
      const lot = await client.query('SELECT 1 FROM lots WHERE lot_id = $1 FOR UPDATE', [lotId]);
      if (!lot.rowCount) throw new Error(`No lot ${lotId} has reported to this server yet.`);
      const { rows } = await client.query<{ version: number }>(
        `INSERT INTO documents (lot_id, version, kind, local_lot_id, document, effective_from, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, 'tariff', $2, $3::jsonb, to_timestamp($4::bigint / 1000.0), $5
           FROM documents WHERE lot_id = $1
         RETURNING version`,
        [lotId, input.localLotId ?? 1, JSON.stringify(input.document), input.effectiveFrom, input.by],
      );
      versions[lotId] = rows[0]!.version;
    }
    await client.query('COMMIT');
    return versions;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What the lot has not seen yet; asking "since N" also acknowledges N. */
export async function pullDocuments(pool: Pool, lotId: string, sinceVersion: number): Promise<PulledDocument[]> {
  await acknowledge(pool, lotId, sinceVersion);
  const { rows } = await pool.query<{ version: number; kind: 'tariff'; local_lot_id: number; document: unknown; effective_ms: string }>(
    `SELECT version, kind, local_lot_id, document, (extract(epoch FROM effective_from) * 1000)::bigint AS effective_ms
       FROM documents WHERE lot_id = $1 AND version > $2 ORDER BY version LIMIT 100`,
    [lotId, sinceVersion],
  );
  return rows.map((row) => ({
    version: row.version,
    kind: row.kind,
    localLotId: row.local_lot_id,
    document: row.document,
    effectiveFrom: Number(row.effective_ms),
  }));
}

export async function acknowledge(pool: Pool, lotId: string, version: number): Promise<void> {
  await pool.query('UPDATE lots SET acked_version = greatest(acked_version, $2), last_contact_at = now() WHERE lot_id = $1', [lotId, version]);
}
