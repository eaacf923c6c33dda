import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

/** The central store as drizzle sees it (a pool-backed database, or a transaction of it). */
export type CentralDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export type CentralTx = Parameters<Parameters<CentralDb['transaction']>[0]>[0];
/** Where a store function may run: the pool, or inside a push's/publisher's transaction. */
export type Executor = CentralDb | CentralTx;

const wrapped = new WeakMap<pg.Pool, CentralDb>();

/**
 * The drizzle database over a pg pool, one per pool. Callers that hold a bare pool (the tests,
 * scripts) may pass it wherever a CentralDb is asked for; `centralDb` wraps it once.
 */
export function centralDb(source: pg.Pool | CentralDb): CentralDb {
  if (!(source instanceof pg.Pool)) return source;
  let db = wrapped.get(source);
  if (!db) {
    db = drizzle(source, { schema });
    wrapped.set(source, db);
  }
  return db;
}

const EXCLUSION_VIOLATION = '23P01';

/** The PostgreSQL SQLSTATE of a failed query (drizzle wraps the driver's error as `cause`). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let at: unknown = error; at && typeof at === 'object'; at = (at as { cause?: unknown }).cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export const isExclusionViolation = (error: unknown) => pgErrorCode(error) === EXCLUSION_VIOLATION;
