import { runInTransaction, statement, type KioskCore } from '../shared/core';

export interface AuditActor {
  staffId: number | null;
  name: string;
}

/** Records a staff action; call inside the transaction that makes the change it describes. */
export function recordAudit(core: KioskCore, now: number, actor: AuditActor, action: string, detail: Record<string, unknown> = {}): void {
  statement(core, 'INSERT INTO audit_log (at, staff_id, actor, action, detail) VALUES (?, ?, ?, ?, ?)').run(
    now,
    actor.staffId,
    actor.name,
    action,
    JSON.stringify(detail),
  );
}

/** Records an action that changes nothing else (a login, an export, a backup) in its own transaction. */
export function auditNow(core: KioskCore, actor: AuditActor, action: string, detail: Record<string, unknown> = {}): void {
  runInTransaction(core, (tx) => recordAudit(core, tx.now, actor, action, detail));
}
