import { recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { DomainError, fail } from '../shared/errors';
import { runInTransaction } from '../shared/unit-of-work';
import { hashPin, assertPinAllowed } from './pins';
import { insertStaff, type StaffIdentity } from './staff';
import type { StaffRole } from './staff';

export interface StaffMember extends StaffIdentity {
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export function listStaff(core: KioskCore): StaffMember[] {
  const lastLogins = core.audit.lastLogins();
  return core.staff.all().map((row) => {
    const lastLogin = lastLogins.get(row.id);
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      active: row.active,
      createdAt: new Date(row.createdAt).toISOString(),
      lastLoginAt: lastLogin === undefined ? null : new Date(lastLogin).toISOString(),
    };
  });
}

/** Adds a staff member or owner, and its `staff.add` entry, in one transaction. */
export function addStaffMember(core: KioskCore, actor: AuditActor, name: string, role: StaffRole, pin: string): StaffIdentity {
  assertPinAllowed(pin);
  const pinHash = hashPin(pin);
  return runInTransaction(core, (tx) => {
    const added = insertStaff(core, tx, name, role, pinHash);
    recordAudit(core, tx.now, actor, 'staff.add', { staffId: added.id, name, role });
    return added;
  });
}

/**
 * Deactivates a staff member and ends their sessions at once. The lot always keeps an active
 * owner, and nobody deactivates themselves (so nobody locks the lot out by a slip).
 */
export function deactivateStaff(core: KioskCore, actor: AuditActor & { staffId: number }, staffId: number): StaffIdentity {
  return runInTransaction(core, (tx) => {
    const target = core.staff.byId(staffId);
    if (!target) throw new DomainError('NOT_FOUND', `There is no staff member number ${staffId}.`);
    if (!target.active) fail('PRECONDITION_FAILED', `${target.name} is already deactivated.`);
    if (target.id === actor.staffId) fail('PRECONDITION_FAILED', 'You cannot deactivate your own account. Ask another owner.');
    if (target.role === 'owner' && core.staff.activeOwnerCount() <= 1) fail('PRECONDITION_FAILED', 'The lot must keep at least one active owner.');
    core.staff.deactivate(staffId);
    core.staff.deleteSessionsOf(staffId);
    recordAudit(core, tx.now, actor, 'staff.deactivate', { staffId, name: target.name, role: target.role });
    return { id: target.id, name: target.name, role: target.role };
  });
}
