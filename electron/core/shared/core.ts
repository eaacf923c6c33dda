import type Database from 'better-sqlite3';
import type { UnitOfWorkHost } from './unit-of-work';

/**
 * LEGACY, for electron/core/pairing/ only (being replaced on another branch): the old import
 * path and the old raw-text `statement()`. Every other module imports the composition root
 * from electron/core/kiosk-core.ts, the unit of work from ./unit-of-work.ts, and queries its
 * tables through its domain's drizzle store. Delete this file once pairing/ has a store.
 */
export { createKioskCore, type KioskCore } from '../kiosk-core';
export { runInTransaction, runRead, type ReadTx, type Tx } from './unit-of-work';

/** @deprecated Raw text SQL; use the domain's store. Prepared on each call (pairing's few, rare calls). */
export function statement(core: UnitOfWorkHost, sql: string): Database.Statement {
  return core.db.sqlite.prepare(sql);
}
