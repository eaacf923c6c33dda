import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';

const folder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies central/db/migrations/*.sql in name order, each once, each in its own transaction;
 * an advisory lock keeps two starting servers from applying the same file twice.
 */
export async function migrateCentral(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(741500)');
    await client.query('CREATE TABLE IF NOT EXISTS central_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM central_migrations')).rows.map((row) => row.name));
    for (const name of readdirSync(folder)
      .filter((file) => file.endsWith('.sql'))
      .sort()) {
      if (done.has(name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(`${folder}/${name}`, 'utf8'));
        await client.query('INSERT INTO central_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
        applied.push(name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(741500)').catch(() => undefined);
    client.release();
  }
  return applied;
}
