import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type Database from 'better-sqlite3';
import type { Orm } from './client';

const dialect = new SQLiteSyncDialect();

/** Renders a drizzle `sql` fragment to SQLite text (used where a rule must also exist as text). */
export const sqlText = (fragment: SQL): string => dialect.sqlToQuery(fragment).sql;

/**
 * A hand-written drizzle `sql` query (columns named through the schema, values as
 * `sql.placeholder(...)`), rendered and prepared once on this connection. Rows come back as
 * SQLite gives them, typed by `Row`: the lean path for the hot reads, with no per-row mapping.
 */
export interface PreparedSql<Row> {
  all(values?: Record<string, unknown>): Row[];
  get(values?: Record<string, unknown>): Row | undefined;
  run(values?: Record<string, unknown>): Database.RunResult;
}

export function prepareSql<Row>(orm: Orm, query: SQL): PreparedSql<Row> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // drizzle() puts the connection on the instance as $client (BetterSQLite3Database's type leaves it out).
  const statement = (orm as Orm & { $client: Database.Database }).$client.prepare(text);
  return {
    all: (values = {}) => statement.all(...fillPlaceholders(params, values)) as Row[],
    get: (values = {}) => statement.get(...fillPlaceholders(params, values)) as Row | undefined,
    run: (values = {}) => statement.run(...fillPlaceholders(params, values)),
  };
}
