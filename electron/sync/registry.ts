import type { KioskCore } from '../core/kiosk-core';
import type { SyncWorker } from './worker';

/** The running worker of each kiosk core, for sync.status (no worker: sync is off). */
const workers = new WeakMap<KioskCore, SyncWorker>();

export const registerSyncWorker = (core: KioskCore, worker: SyncWorker) => workers.set(core, worker);
export const syncWorkerOf = (core: KioskCore): SyncWorker | undefined => workers.get(core);
