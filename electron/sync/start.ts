import type { KioskCore } from '../core/kiosk-core';
import { registerSyncWorker } from './registry';
import { SyncWorker } from './worker';

const envMs = (name: string): number | undefined => {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) && value > 0 ? value : undefined;
};

/**
 * Starts the sync worker when a central server is configured: the CLI's --central/--central-key,
 * else KIOSK_CENTRAL_URL/KIOSK_CENTRAL_KEY, else the lot's settings 'sync.central_url' and
 * 'sync.central_key'. With none, nothing starts and the single-lot kiosk is unchanged.
 */
export function startSyncIfConfigured(core: KioskCore, given: { url?: string; key?: string } = {}): SyncWorker | null {
  const url = given.url || process.env.KIOSK_CENTRAL_URL || core.settings.get('sync.central_url');
  const key = given.key || process.env.KIOSK_CENTRAL_KEY || core.settings.get('sync.central_key');
  if (!url) return null;
  if (!key) throw new Error('A central URL is set but no lot key: give --central-key (or KIOSK_CENTRAL_KEY).');
  const worker = new SyncWorker(core, {
    centralUrl: url,
    centralKey: key,
    backoffBaseMs: envMs('KIOSK_SYNC_BACKOFF_MS'),
    backoffMaxMs: envMs('KIOSK_SYNC_BACKOFF_MAX_MS'),
    idleMs: envMs('KIOSK_SYNC_IDLE_MS'),
    batchSize: envMs('KIOSK_SYNC_BATCH'),
    requestTimeoutMs: envMs('KIOSK_SYNC_TIMEOUT_MS'),
  });
  registerSyncWorker(core, worker);
  worker.start();
  return worker;
}
