import type { KioskCore } from '../kiosk-core';
import { runInTransaction, type Tx } from '../shared/unit-of-work';

export interface AuditActor {
  staffId: number | null;
  name: string;
}

/** The kiosk itself, for what it does unasked (burned pairing codes, sync renumbering). */
export const SYSTEM_ACTOR: AuditActor = { staffId: null, name: 'system' };

/** Records a staff action; call inside the transaction that makes the change it describes. */
export function recordAudit(core: KioskCore, now: number, actor: AuditActor, action: string, detail: Record<string, unknown> = {}): void {
  core.audit.insert({ at: now, staffId: actor.staffId, actor: actor.name, action, detail });
}

/** The same, for a rule that already has its transaction at hand. */
export const auditIn = (core: KioskCore, tx: Tx, actor: AuditActor, action: string, detail: Record<string, unknown> = {}): void =>
  recordAudit(core, tx.now, actor, action, detail);

/**
 * Records an action whose own work is no database write (an export, a file backup), in its
 * own transaction right after that work. Core rules call it; routers never audit.
 */
export function auditNow(core: KioskCore, actor: AuditActor, action: string, detail: Record<string, unknown> = {}): void {
  runInTransaction(core, (tx) => recordAudit(core, tx.now, actor, action, detail));
}
