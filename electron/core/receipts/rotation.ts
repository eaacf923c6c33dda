/**
 * Receipt key rotation (owner, from the console): the signing key is retired (its public key
 * stays trusted, so every receipt already printed still verifies) and a new key signs from
 * now on. Audited; one transaction, so a failed rotation leaves the old key signing.
 */
import { recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { rotateSigningKey } from './keys';
import { receiptKeyStore } from './service';

export interface RotatedKey {
  /** The key that signs from now on. */
  keyId: string;
  /** The key it replaced (still verifies), or null when the lot had none yet. */
  retiredKeyId: string | null;
  rotatedAt: string;
}

export function rotateReceiptKey(core: KioskCore, actor: AuditActor): RotatedKey {
  return runInTransaction(core, (tx) => {
    const store = receiptKeyStore(core);
    const before =
      store
        .list()
        .filter((key) => key.privateKeyPem && key.retiredAtMs === undefined)
        .at(-1)?.keyId ?? null;
    const lot = core.lots.first();
    const fresh = rotateSigningKey(store, lot?.name ?? 'This lot', tx.now);
    recordAudit(core, tx.now, actor, 'receipt.rotate_key', { retiredKeyId: before, keyId: fresh.keyIdText });
    return { keyId: fresh.keyIdText, retiredKeyId: before, rotatedAt: new Date(tx.now).toISOString() };
  });
}
