/**
 * Old import path, kept while the bookings-side domains move their imports: the composition
 * root is electron/core/kiosk-core.ts and the unit of work electron/core/shared/unit-of-work.ts.
 * New code imports those directly.
 */
export { createKioskCore, type KioskCore } from '../kiosk-core';
export { runInTransaction, runRead, statement, type ReadTx, type Tx } from './unit-of-work';
